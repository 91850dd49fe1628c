"""Course FAQ entries: saved from a resolved ticket, published as a chunk of the course, listed
and removed with ``/coach faq``.

``entries`` stores and removes entries (roles checked, every action audited), ``publish`` is the
task that embeds an entry and writes its chunk, ``resolution`` ties them to the Resolve modal.
"""
