# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""The collection's version, for the User-Agent.

galaxy.yml is the source; a module cannot read it at run time (only module_utils
travel with a module), so `make version VERSION=x.y.z` writes both and a unit
test fails if they ever differ.
"""

COLLECTION_VERSION = "0.2.0"
