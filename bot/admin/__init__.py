"""Admin and trainer tools behind ``/coach``: parsing, services, stats and exports."""
