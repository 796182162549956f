# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What tests want to know about a real OscClient and production does not keep:
how many attempts it made per action, and every item of a paged read."""

import threading

from ansible_collections.outscale.cloud.plugins.module_utils._client import OscClient


class CountingClient(OscClient):
    """A real OscClient (real sockets) that counts its attempts per action, resends included."""

    def __init__(self, *args, **kwargs):
        OscClient.__init__(self, *args, **kwargs)
        self.call_counts = {}
        self._count_lock = threading.Lock()

    def _attempt(self, action, payload, is_write):
        with self._count_lock:
            self.call_counts[action] = self.call_counts.get(action, 0) + 1
        return OscClient._attempt(self, action, payload, is_write)


def paginate(client, action, body, items_key, page_size=1000):
    """Every item of every page of a Read action: ``items_key`` (e.g. "NetPeerings") of each page."""
    items = []
    for page in client.pages(action, body, page_size):
        items.extend(page.get(items_key) or [])
    return items
