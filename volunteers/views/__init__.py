"""Views of the volunteers app: residents and volunteers (public.py), coordinators (coordinate.py)."""
