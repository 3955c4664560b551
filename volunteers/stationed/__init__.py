"""在职党员报到 and 微心愿: stationed party members report in, claim posts and small wishes, and their units get a yearly summary."""
