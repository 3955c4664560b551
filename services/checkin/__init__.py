"""Self check-in by QR code (shared by the hall, the health station and the event stations): a signed token per
seat (`kinds`), its QR image (`qr`), and the staff scan page (`views`) that checks the resident in through each
station's own check-in action."""
