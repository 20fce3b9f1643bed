"""The conference calendar (iCalendar, RFC 5545), written with the icalendar library.

One VEVENT per published conference (`Type: hoi-nghi`) that gives a `Start:`. Every value
comes from the item itself, never from the clock, so two builds give identical bytes:
UID from the item's uid, DTSTAMP from its Modified (else Date), times in UTC.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from .entries import FeedItem

CONFERENCE_TYPE = "hoi-nghi"
PRODID = "-//UBND huyen Hon Quan//newsdesk giam ngheo//VI"


def conferences(articles) -> list:
    """Published conferences with a start time, soonest first (then by uid: a stable order)."""
    chosen = [a for a in articles
              if a.type == CONFERENCE_TYPE and getattr(a, "start", None)]
    return sorted(chosen, key=lambda a: (a.start, a.uid))


def conference_calendar(articles, items: dict[str, FeedItem], id_domain: str,
                        site: dict) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Lịch hội nghị giảm nghèo – {site['name']}")
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for article in conferences(articles):
        calendar.add_component(_event(article, items[article.uid], id_domain))
    return calendar.to_ical()


def _event(article, item: FeedItem, id_domain: str) -> Event:
    event = Event()
    event.add("uid", f"{article.uid}@{id_domain}")
    event.add("dtstamp", _utc(item.updated))
    event.add("dtstart", _utc(article.start))
    if getattr(article, "end", None):
        event.add("dtend", _utc(article.end))
    event.add("summary", item.title)
    if getattr(article, "location", ""):
        event.add("location", article.location)
    description = [item.summary]
    if getattr(article, "participants", ""):
        description.append(f"Thành phần: {article.participants}")
    event.add("description", "\n\n".join(filter(None, description)))
    event.add("url", item.url)
    return event


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.timezone.utc)
