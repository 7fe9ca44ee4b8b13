"""Coalition pages, by sub-domain (membership, pledges, exchange, volunteering, overview).

Views stay thin: ``access`` fetches and guards, forms parse, services write. ``urls.py`` imports
the sub-modules.
"""
