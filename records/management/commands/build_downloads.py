from django.core.management.base import BaseCommand

from records import downloads


class Command(BaseCommand):
    help = (
        "Build the full published data set (every CSV file, zipped, and one Popolo JSON document) into "
        "DATA_DOWNLOADS_DIR, "
        "where /data/ lists and serves it. Run it after imports, or from cron."
    )

    def handle(self, *args, **options):
        for entry in downloads.build():
            rows = f", {sum(entry['rows'].values()):,} rows" if entry["rows"] else ""
            self.stdout.write(f"{entry['name']}: {entry['bytes']:,} bytes{rows}")
