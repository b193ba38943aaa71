"""Help Desk site setup tabs, the site's Readiness tab and the companies-wide Readiness page."""
