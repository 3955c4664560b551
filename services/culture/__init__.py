"""文化服务站, the culture station: activity rooms and their bookings, teams, classes and attendance."""
