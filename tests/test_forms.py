"""Every form each demo role is shown refuses bad input with an answer, never a server error.

The pages are found as in test_links (every link from each role's start pages, a few per kind of page);
each POST form on them, once per kind of target, is sent as shown, empty, and with every field filled with
one of the values below (a 5,000-character text, markup, a negative number, an integer no column holds,
an impossible date, control characters, an overflowing float, SQL, Arabic-Indic digits). Forms that
delete or log out are left alone. The answer may be a page with errors or a redirect; never a 5xx.
(It found integer choices out of SQLite's range failing every form with goals, and a redirect target
that was not a path failing the champions' marking.)
"""

from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from .test_links import START, _kind, crawl

BAD_VALUES = ["x" * 5_000, "<script>alert(1)</script>", "-1", "99999999999999999999999", "2026-02-30",
              "\u202e\x01", "1e309", "' OR 1=1 --", "١٢٣"]  # fmt: skip
FORMSET_COUNTS = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


class PostForms(HTMLParser):
    """The POST forms of a page: action and fields (name, value as shown or None if unchecked, type)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._choice: list | None = None  # a select: [name, selected value]
        self._text: list | None = None  # a textarea: [name, text]

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": []}
            self.forms.append(self._form)
        elif self._form is None or (not a.get("name") and tag != "option"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            shown = a.get("value", "") if kind not in ("checkbox", "radio") or "checked" in a else None
            self._form["fields"].append([a["name"], shown, kind])
        elif tag == "select":
            self._choice = [a["name"], None, "select"]
            self._form["fields"].append(self._choice)
        elif tag == "option" and self._choice is not None and ("selected" in a or self._choice[1] is None):
            self._choice[1] = a.get("value", "")
        elif tag == "textarea":
            self._text = [a["name"], "", "textarea"]
            self._form["fields"].append(self._text)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._choice = None
        elif tag == "textarea":
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text[1] += data


def submissions(fields: list) -> list[tuple[str, dict]]:
    shown: dict[str, list] = {}
    for name, value, _ in fields:
        if value is not None:
            shown.setdefault(name, []).append(value)
    out = [("as shown", shown), ("empty", dict.fromkeys(shown, ""))]
    for bad in BAD_VALUES:
        data: dict[str, list] = {}
        for name, value, kind in fields:
            if kind == "file":
                continue
            keep = kind == "hidden" and name.endswith(FORMSET_COUNTS)  # a formset's row counts
            data.setdefault(name, []).append(value if keep else bad)
        out.append((f"every field {bad[:15]!r}", data))
    return out


class Sender:
    """Posts every form of the pages it is shown, once per kind of target (whoever sees it first)."""

    def __init__(self) -> None:
        self.tried: set[str] = set()
        self.sent = 0
        self.errors: list[tuple] = []
        self.client = Client()
        self.username: str | None = None

    def __call__(self, url: str, html: str) -> None:
        parser = PostForms()
        parser.feed(html)
        for form in parser.forms:
            target = urlsplit(urljoin(url, form["action"] or url))
            action = target.path + (f"?{target.query}" if target.query else "")
            if _kind(action) in self.tried or any(word in action for word in ("delete", "logout", "/i18n/")):
                continue
            self.tried.add(_kind(action))
            for label, data in submissions(form["fields"]):
                response = self.client.post(action, data)
                self.sent += 1
                if response.status_code >= 500:
                    self.errors.append((self.username, action, label, response.status_code))


def test_every_form_each_role_sees_answers_bad_input_without_a_server_error(reference_data):
    call_command("load_demo", stdout=StringIO())
    sender = Sender()
    for username in (None, "focal", "member", "secretariat"):  # the contributor's forms are the member's
        sender.client, sender.username = Client(raise_request_exception=False), username
        start = ["/"]
        if username:
            sender.client.force_login(User.objects.get(username=username))
            start = START
        crawl(sender.client, start, per_kind_most=3, visit=sender)
    assert sender.sent > 400  # the forms were found
    assert sender.errors == []
