"""The events both stations run (lectures, free clinics, fun games, shows): registration, photos, the calendar."""
