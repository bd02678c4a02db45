"""Edges: reading rosters, writing report files."""
