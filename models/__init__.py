"""Pydantic v2 data models shared by every stage. Models only: no I/O, no logic beyond validation."""
