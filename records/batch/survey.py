"""Step 1 of importing a file: its header and rows' shape checked, what it refers to collected.

The header must name the table's columns exactly (batch/schema.py); each row
must have as many cells as the header; keys must not repeat within the file.
Every slug the file names is collected for batch/references.py to read at
once. A file whose records have parents (organizations, events) is ordered
parents first, and a loop of parents is refused.
"""

from collections import defaultdict

from .columns import unescape_formula

# Rows are numbered as a spreadsheet numbers them: the header is row 1, the first record row 2.
FIRST_ROW = 2


class Survey:
    """The survey of a file, a part of batch/importing.py's File.

    It reads the file's `headers`, `rows`, `columns` and `key`; it leaves the
    slugs each column names in `wanted` and the rows it refuses in `failed_rows`.
    """

    def check_header(self):
        known = list(self.columns)
        problems = []
        if not self.headers:
            problems.append("the file is empty: it has no header row")
        padded = [header for header in self.headers if header != header.strip()]
        if padded:
            problems.append(f"column {', '.join(map(repr, padded))} has spaces around its name")
        repeated = sorted({header for header in self.headers if self.headers.count(header) > 1})
        if repeated:
            problems.append(f"column {', '.join(map(repr, repeated))} appears more than once")
        unknown = [header for header in self.headers if header not in known and header not in padded]
        if unknown:
            problems.append(f"unknown column {', '.join(map(repr, unknown))}; the columns are {', '.join(known)}")
        missing = [name for name in (*self.key, *self.table.required) if name not in self.headers]
        if missing and self.headers:
            plural = "s" if len(missing) > 1 else ""
            problems.append(f"missing required column{plural} {', '.join(map(repr, missing))}")
        for message in problems:
            self.problem(None, None, message)
        return not problems

    def survey(self):
        """Check each row's shape and key, and collect what the file refers to; returns the rows as text."""
        width = len(self.headers)
        key_at = [self.headers.index(name) for name in self.key]
        reference_at = [(at, self.columns[name]) for at, name in enumerate(self.headers)]
        reference_at = [(at, column) for at, column in reference_at if column.kind != "value"]
        seen, rows = {}, []
        self.wanted = defaultdict(set)
        for number, cells in enumerate(self.rows, start=FIRST_ROW):
            rows.append((number, cells))
            if len(cells) != width:
                self.failed_rows.add(number)
                noun = "cell" if len(cells) == 1 else "cells"
                shape = f"has {len(cells)} {noun}" if cells else "is empty"
                self.problem(number, None, f"the row {shape}; the header has {width} columns")
                continue
            key = tuple(unescape_formula(cells[at]).strip() for at in key_at)
            if key in seen:
                self.failed_rows.add(number)
                same = ", ".join(self.key)
                self.problem(number, self.key[0], f"the same record as row {seen[key]} (same {same})")
            else:
                seen[key] = number
            for at, column in reference_at:
                text = unescape_formula(cells[at]).strip()
                if text and column.kind == "links":
                    self.wanted[column.name].update(slug.strip() for slug in text.split("|") if slug.strip())
                elif text:
                    self.wanted[column.name].add(text)
        return rows

    def parents_first(self, rows):
        """Rows in generations, parents first, a (None, None) between generations; loops are refused."""
        at, slug_at = self.headers.index(self.parent_column.name), self.headers.index("slug")
        usable = [(number, cells) for number, cells in rows if number not in self.failed_rows]
        by_slug = {unescape_formula(cells[slug_at]).strip(): (number, cells) for number, cells in usable}
        parent_of = {slug: unescape_formula(cells[at]).strip() for slug, (_, cells) in by_slug.items()}
        # The stored tree too, so that a loop closed through existing records is caught.
        stored = dict(self.model._base_manager.filter(parent__isnull=False).values_list("slug", "parent__slug"))
        for slug in parent_of:
            trail, current = [slug], parent_of[slug]
            while current and current not in trail:
                trail.append(current)
                current = parent_of[current] if current in parent_of else stored.get(current)
            if current == slug:
                number = by_slug[slug][0]
                self.failed_rows.add(number)
                loop = " → ".join([*trail, slug])
                self.problem(number, self.parent_column.name, f"the parents make a loop: {loop}")
        generation = {}

        def depth(slug):
            if slug not in generation:
                generation[slug] = 0  # a guard against loops, already reported
                parent = parent_of[slug]
                generation[slug] = depth(parent) + 1 if parent in parent_of else 0
            return generation[slug]

        ordered = sorted(by_slug.items(), key=lambda item: (depth(item[0]), item[1][0]))
        result = []
        for position, (slug, row) in enumerate(ordered):
            if position and depth(slug) != depth(ordered[position - 1][0]):
                result.append((None, None))
            result.append(row)
        return result
