"""Files and stores: rosters, campaign folders, report files, public lists, the ledger store, and
running a campaign folder end to end (:mod:`ansinh.io.run`)."""
