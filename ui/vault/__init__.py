"""The vault's GUI (issue 6): the site's Passwords tab, the status-bar lock, the dialogs."""
