"""Escalation to trainers: triggers, opening tickets, what trainers do to them, relays, SLAs."""
