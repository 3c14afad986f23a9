"""Propose draft records from a news report in a text file; with --write, create them all as drafts.

    python manage.py draft_article FILE --url URL --publisher NAME \\
        --published 'YYYY-MM-DD HH:MM+HH:MM' [--author NAME] [--write]

Prints one JSON object a line per proposal (kind, text, speaker, role,
mentions, event, dates and the supporting sentence). With --write, every
proposal is created as a draft citing a new draft source, and the counts of
what was created are printed.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from records.drafting import published_at
from records.drafting.reading import read
from records.drafting.writing import write as write_drafts


class Command(BaseCommand):
    help = "Propose draft records (statements, quotes, events, memberships) from a news report in a text file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The article's text, UTF-8.")
        parser.add_argument("--url", required=True, help="Where the article is published.")
        parser.add_argument("--publisher", required=True, help="The publisher's name (a new one is proposed).")
        parser.add_argument("--published", required=True, help="'YYYY-MM-DD HH:MM+HH:MM', with the UTC offset.")
        parser.add_argument("--author", default=None, help="The author, when the text has no 'By …' line.")
        parser.add_argument(
            "--write",
            action="store_true",
            help="Create every proposal as a draft, except statements whose speaker is unknown (they are listed).",
        )

    def handle(self, *args, file, url, publisher, published, author, write, **options):
        try:
            moment = published_at(published)
        except ValueError as problem:
            raise CommandError(f"--published: {problem}") from None
        try:
            with open(file, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        if not text.strip():
            raise CommandError(f"{file} is empty.")
        article = read(text, url=url, publisher=publisher, published=moment, author=author)
        for proposal in article.proposals:
            self.stdout.write(json.dumps(proposal.as_json(), ensure_ascii=False))
        if write:
            # A statement whose speaker the report does not show is never written: the editor names one first.
            unknown = [p for p in article.proposals if p.speaker_unknown]
            keys = [p.key for p in article.proposals if not p.speaker_unknown]
            summary = write_drafts(article, keys=keys, user=None)
            self.stdout.write(json.dumps(summary, ensure_ascii=False, default=str))
            if unknown:
                self.stdout.write(
                    f"left out: {len(unknown)} statement{'s' if len(unknown) != 1 else ''} whose speaker the report "
                    "does not show (speaker unknown); draft them in the admin, where you can name the speaker."
                )
