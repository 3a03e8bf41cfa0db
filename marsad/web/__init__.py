"""The web pages of `marsad serve`: server-rendered templates over `marsad.views` (see `marsad.web.pages`).

The front-end libraries under ``static/vendor`` and the boundaries under ``static/geo`` are vendored from the
npm registry by ``scripts/vendor_web.py`` (versions, licenses and hashes in ``static/vendor/VENDOR.json``).
"""
