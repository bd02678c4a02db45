"""Candidate lists (danh sách rà soát): load them from CSV or Excel without losing a row.

:func:`~ansinh.io.roster.load.load_roster` reads a list of people in difficult
circumstances, as a province office keeps it, and returns a
:class:`~ansinh.io.roster.values.Roster`: the people it could accept, **every**
rejected row with its row number, column, value and reason, and the people who
appear twice (flagged, never merged).

Files
    CSV in UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8"),
    separated by ``,``, ``;`` or tabs (guessed from the header line); or
    ``.xlsx`` / ``.xlsm`` with the optional ``openpyxl`` (``pip install
    'ansinh[excel]'``), first sheet unless ``sheet=`` names one.  Row numbers
    are the ones a spreadsheet shows: the header is row 1.

Headers
    Vietnamese or English, case, accents, spaces and punctuation ignored.
    Columns with other headers (``Ghi chú`` …) are ignored and listed in
    :attr:`Roster.ignored_columns <ansinh.io.roster.values.Roster.ignored_columns>`.
    Name, date of birth and a province column are required.  Every column,
    its headers and the parser of its cells are one table,
    :data:`~ansinh.io.roster.columns.COLUMNS` (:data:`HEADERS
    <ansinh.io.roster.columns.HEADERS>` lists the headers by field):

    ===========================  ==============================================  ===========================
    field                        e.g. headers                                    cells
    ===========================  ==============================================  ===========================
    ``full_name``                ``Họ và tên``, ``Họ tên``, ``full_name``        text (required)
    ``date_of_birth``            ``Ngày sinh``, ``date_of_birth``, ``dob``       a date (required)
    ``province``                 ``Tỉnh``, ``Mã tỉnh``, ``province``             a province name or code
    ``former_province``          ``Tỉnh cũ``, ``former_province``                 a former province (read when ``province`` is blank)
    ``cccd``                     ``Số CCCD``, ``Số định danh``, ``cccd``         12 digits
    ``social_insurance_number``  ``Mã số BHXH``, ``social_insurance_number``     10 digits
    ``categories``               ``Đối tượng``, ``categories``                   categories
    ``difficult_circumstances``  ``Hoàn cảnh khó khăn``                          yes/no
    ``compulsory_si``            ``BHXH bắt buộc``, ``compulsory_si``            yes/no
    ``receives_pension``         ``Hưởng lương hưu``, ``receives_pension``       yes/no
    ``vietnamese_citizen``       ``Công dân Việt Nam``, ``citizen``              yes/no
    ``nationality``              ``Quốc tịch``, ``nationality``                  Việt Nam or another
    ``commune``                  ``Xã/phường``, ``commune``                      text
    ``household_id``             ``Mã hộ``, ``household_id``                     text
    ``bhyt_valid_until``         ``Hạn thẻ BHYT``, ``bhyt_valid_until``          a date
    ``left_poverty_on``          ``Ngày thoát nghèo``, ``left_poverty_on``       a date
    ``vsi_supported_months``     ``Số tháng đã được hỗ trợ``                     a whole number
    ``hospital_admission``       ``Ngày nhập viện``, ``hospital_admission``      a date
    ``hospital_discharge``       ``Ngày ra viện``, ``hospital_discharge``        a date
    ``id``                       ``Mã``, ``STT``, ``id``                         text (default ``row-<n>``)
    ===========================  ==============================================  ===========================

Values
    Dates as ``dd/mm/yyyy`` (also ``-`` or ``.``) or ISO ``yyyy-mm-dd``.
    CCCD: 12 digits; mã số BHXH: 10 digits.  A cell is read as the text it
    holds, the same in CSV and Excel (``12345`` is refused from either); only
    an Excel cell stored as a *number* is zero-padded back, since Excel drops
    the leading zeros of numbers.
    Categories: codes (``near_poor``) or Vietnamese / English labels
    (``hộ cận nghèo``), separated by ``;`` or ``,``; ``hoàn cảnh khó khăn``
    there sets the review flag.  Yes/no columns: ``x``, ``có``, ``yes``,
    ``1`` … or blank, ``không``, ``no``, ``0``.  A nationality is read only
    when there is no citizen cell.  Admission and discharge dates go together.

Provinces
    A name (current or one of the former 63, accents optional) is mapped with
    :func:`~ansinh.core.provinces.find_province`.  A two-digit code in a
    ``Tỉnh`` / ``province`` column is read as a current code (Decision
    19/2025/QĐ-TTg) when it is one of the 34, otherwise as a former code
    (Decision 124/2004/QĐ-TTg) mapped to the unit it merged into.  The two
    readings never disagree: every current code is the former code of one of
    the provinces merged into it (a test checks this on the shipped data).  A
    column named for the former scheme (``Tỉnh cũ``, ``Mã tỉnh cũ``,
    ``former_province``) is always read as former codes or names.

Lines
    Every line after the header ends as exactly one of: an accepted person,
    a rejected row, a blank line, or a line inside a quoted cell holding a
    line break; each load checks that ``lines_read == len(people) +
    len(rejected_rows) + blank_lines + joined_lines``
    (:attr:`Roster.lines_read <ansinh.io.roster.values.Roster.lines_read>`).
    A stray opening quote does not swallow the rows after it: its line is
    rejected ("unclosed quote from line 3 swallowed lines 4–5 …") and the
    lines after it are read on their own
    (:func:`~ansinh.io.roster.csv.text_rows`).  CSV row numbers are the line
    a row starts on.

People
    Every accepted row is built with :class:`~ansinh.core.people.Person`, so
    every check it makes applies; what it refuses becomes a rejected row
    naming the column.  Identifiers are masked in rejected rows and in
    duplicate flags.

Modules: :mod:`~ansinh.io.roster.columns` (the table),
:mod:`~ansinh.io.roster.cells` (cell parsers), :mod:`~ansinh.io.roster.parse`
(rows → roster), :mod:`~ansinh.io.roster.csv`, :mod:`~ansinh.io.roster.xlsx`
and :mod:`~ansinh.io.roster.load` (files), :mod:`~ansinh.io.roster.write`
(writing), :mod:`~ansinh.io.roster.values` (what a load returns).
"""

from __future__ import annotations

from ansinh.io.roster.columns import COLUMNS, HEADERS, Column
from ansinh.io.roster.csv import parse_roster_csv
from ansinh.io.roster.load import load_roster, roster_rows
from ansinh.io.roster.parse import parse_roster_rows
from ansinh.io.roster.values import Cell, Duplicate, RejectedRow, Roster
from ansinh.io.roster.write import write_roster_csv

__all__ = [
    "COLUMNS",
    "HEADERS",
    "Cell",
    "Column",
    "Duplicate",
    "RejectedRow",
    "Roster",
    "load_roster",
    "parse_roster_csv",
    "parse_roster_rows",
    "roster_rows",
    "write_roster_csv",
]
