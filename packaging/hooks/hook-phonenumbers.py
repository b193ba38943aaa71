"""Replaces pyinstaller-hooks-contrib's hook, which collects every phonenumbers submodule.

phonenumbers loads each region's metadata lazily by module name, so the `data` and `shortdata`
modules must be listed; the geocoder, carrier and time-zone tables (~45 MB of the 48) are not
used by Preflight and are left out (the spec excludes them as well).
"""

from PyInstaller.utils.hooks import collect_submodules

UNUSED = ("phonenumbers.geodata", "phonenumbers.carrierdata", "phonenumbers.tzdata",
          "phonenumbers.geocoder", "phonenumbers.carrier", "phonenumbers.timezone")

hiddenimports = collect_submodules(
    "phonenumbers", filter=lambda name: not name.startswith(UNUSED))
