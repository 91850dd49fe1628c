"""The Home tab: what each role sees, and keeping it current."""
