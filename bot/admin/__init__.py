"""Admin and trainer tools behind ``/coach``: parsing, services and exports."""
