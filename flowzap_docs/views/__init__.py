"""The sequence and architecture views."""
