"""Views of the councils app: the open ledger and suggestions (public), and the council staff's work (staff)."""
