# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """The routes option of net_peering and net_peerings: the same words on both."""

    DOCUMENTATION = r"""
options:
  routes:
    description:
      - Route the traffic through each peering that ends C(active), on both sides, in the same task. Without this
        option no route is read or written.
      - In each selected route table of the source Net, a route to the accepter Net's IP range through the peering;
        in each selected table of the accepter Net, a route to the source Net's range. Each side is written with its
        owner's credentials (this task's, or the O(accepter_credentials) of the other account). A pair whose other
        side belongs to an account the task has no credentials for fails before any write, naming the account.
      - A route already there through the same peering is left alone. A route with the same destination to any other
        target (an internet service, a NAT service, another peering) makes that pair fail, naming the table, the
        destination and the current target; the route stays as it is. Only routes to the peerings the task manages
        are ever deleted.
      - Before any write, a pair is refused when its two Nets overlap, or when the new peer's range overlaps the range
        of another peer of the same Net (the most specific route would take part of the other peer's traffic).
      - Removing a peering first deletes the routes to it in the selected tables of each side the task can act for.
        Routes in the selected tables of the task's Nets that point to a peering that is no longer live are stale;
        they are reported, and O(state=overridden) of M(outscale.cloud.net_peerings) removes them.
      - Tables the option does not select are never changed. They are read all the same (one C(ReadRouteTables) per
        account returns every table), and a route there to another live peering for the new peer's range refuses the
        pair, as in a selected table. When removing peerings that were routed with a narrower selection
        (O(routes.route_tables=main), O(routes.route_table_tags)) than the one now given, their routes stay in the
        other tables, pointing to an ended peering; remove with the widest selection (the default, every table) so
        that no route is left behind.
      - Routes are written only once the peering is C(active). With O(wait=false), the routes of a peering the task
        accepts are left to a later run (it may not be C(active) yet), with a warning, in check mode too.
      - "Permissions (EIM policy actions): with this option, this task's account and each account of
        O(accepter_credentials) also need C(ReadRouteTables), C(CreateRoute), C(DeleteRoute) and C(ReadNets)."
    type: dict
    suboptions:
      route_tables:
        description:
          - V(all), every route table of each Net; V(main), only its main table (the one of every Subnet with no
            explicit link).
        type: str
        choices: [all, main]
        default: all
      route_table_tags:
        description:
          - Only the route tables that carry all these tags (within O(routes.route_tables)).
        type: dict
"""
