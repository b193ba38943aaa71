"""The Help Desk → Client Profiles tab, its add/edit form and the spreadsheet import wizard."""
