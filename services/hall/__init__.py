"""便民服务站, the one-stop service hall: catalogue, counters and slots, bookings, the counter desk, and cases."""
