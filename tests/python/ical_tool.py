#!/usr/bin/env python3
"""Independent iCalendar (.ics) reader built on the `icalendar` library.

Used by the Rust integration tests to check milepost's iCalendar export against a
third-party parser rather than against milepost's own code.

Usage:
    python3 ical_tool.py FILE.ics

Parses FILE with ``icalendar.Calendar.from_ical`` and prints one JSON object:
    {"calendar": {"prodid": str, "version": str, "name": str|null},   # name = X-WR-CALNAME
     "events": [{"uid": str, "summary": str, "dtstart": "YYYY-MM-DD",
                 "dtend": "YYYY-MM-DD"|null, "description": str|null,
                 "categories": [str], "url": str|null, "sequence": int|null}]}
Line folding and text escapes (\\, \\; \\n) are undone by the library. DTSTART/DTEND
values of type DATE print as YYYY-MM-DD; DATE-TIME values print their date part.
Errors (unreadable file, parse failure, an event without DTSTART) exit non-zero
with a message on stderr.

Requirements: ``python3 -m pip install icalendar``.
"""

import datetime
import json
import re
import sys


def fail(message):
    print(f"ical_tool: error: {message}", file=sys.stderr)
    sys.exit(1)


def text(value):
    return None if value is None else str(value)


def x_text(prop):
    """An X- property holding TEXT (X-WR-CALNAME): icalendar keeps unknown X-
    properties raw (vUnknown), so undo the RFC 5545 TEXT escapes here."""
    if prop is None:
        return None
    raw = prop.to_ical().decode("utf-8") if hasattr(prop, "to_ical") else str(prop)
    escapes = {"\\\\": "\\", "\\;": ";", "\\,": ",", "\\n": "\n", "\\N": "\n"}
    return re.sub(r"\\[\\;,nN]", lambda m: escapes[m.group(0)], raw)


def day(prop):
    """A DTSTART/DTEND property -> 'YYYY-MM-DD' (None when absent)."""
    if prop is None:
        return None
    value = prop.dt if hasattr(prop, "dt") else prop
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        fail(f"unexpected date value {value!r}")
    return value.isoformat()


def categories(component):
    """CATEGORIES may appear several times, each with a comma-separated list."""
    props = component.get("CATEGORIES")
    if props is None:
        return []
    if not isinstance(props, list):
        props = [props]
    names = []
    for prop in props:
        cats = getattr(prop, "cats", None)
        if cats is None:  # very old icalendar: a plain vText
            cats = [prop]
        names.extend(str(c) for c in cats)
    return names


def main(argv):
    if len(argv) != 2:
        print("usage: ical_tool.py FILE.ics", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        from icalendar import Calendar
    except ImportError as err:
        fail(f"{err}; install with: python3 -m pip install icalendar")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        fail(f"{path}: {err.strerror}")
    try:
        cal = Calendar.from_ical(data)
    except Exception as err:
        fail(f"{path}: cannot parse: {err}")
    if isinstance(cal, list):  # several VCALENDARs in one file: not expected
        fail(f"{path}: {len(cal)} VCALENDAR objects, expected one")
    if cal.name != "VCALENDAR":
        fail(f"{path}: top-level component is {cal.name}, not VCALENDAR")

    # icalendar >= 6 is lenient: a bad value becomes a "broken" property and the
    # error is recorded on the component instead of raised. Treat it as fatal.
    for component in cal.walk():
        for prop_name, error in getattr(component, "errors", []):
            fail(f"{path}: {component.name} {prop_name}: {error}")

    events = []
    for event in cal.walk("VEVENT"):
        uid = event.get("UID")
        if event.get("DTSTART") is None:
            fail(f"{path}: event {uid} has no DTSTART")
        sequence = event.get("SEQUENCE")
        events.append({
            "uid": text(uid),
            "summary": text(event.get("SUMMARY")),
            "dtstart": day(event.get("DTSTART")),
            "dtend": day(event.get("DTEND")),
            "description": text(event.get("DESCRIPTION")),
            "categories": categories(event),
            "url": text(event.get("URL")),
            "sequence": None if sequence is None else int(sequence),
        })
    result = {
        "calendar": {
            "prodid": text(cal.get("PRODID")),
            "version": text(cal.get("VERSION")),
            "name": x_text(cal.get("X-WR-CALNAME")),
        },
        "events": events,
    }
    json.dump(result, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
