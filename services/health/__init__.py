"""健康服务站, the health station: consent, health files, follow-ups, and the retirees' annual physical."""
