from django.core.management.base import BaseCommand

from portal.core.search import search_reindex


class Command(BaseCommand):
    help = "Rebuild the search index of public content from every app's search_documents module."

    def handle(self, *args, **options):
        self.stdout.write(f"indexed {search_reindex()} documents")
