"""Many ids or rows a few thousand at a time: queries stay within every database's limit of parameters."""

import itertools

# Ids in one IN (…): well under SQLite's 32,766 parameters, and a query PostgreSQL plans quickly.
IDS = 10_000


def chunks(iterable, size=IDS):
    """Lists of at most `size` items of `iterable`, in order, read lazily."""
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
