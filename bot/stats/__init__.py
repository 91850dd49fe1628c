"""Coaching figures over a period, for `/coach stats`, the CSV export and the admin Home tab."""
