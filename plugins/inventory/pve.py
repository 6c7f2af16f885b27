# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: pve
short_description: Proxmox VE nodes, VMs and containers as an Ansible inventory
version_added: 0.1.0
description:
  - Reads the guests (qemu VMs, lxc containers) and nodes of a Proxmox VE cluster or standalone node from the PVE REST API.
  - "Default cost: two requests, C(GET /cluster/resources) and C(GET /cluster/status), asked at the same time (plus one
    C(POST /access/ticket) before them with a password), whatever the size of the cluster; nothing is asked per node or per
    guest unless O(ansible_host) names a source or O(guest_config=true)."
  - The configuration file name must end with C(pve.yml) or C(pve.yaml).
  - "Connection options (O(api_host), O(api_token_secret), ... and their community.proxmox aliases) may be Jinja2
    templates with lookups or extra vars, or C(!vault) strings: each is rendered once per build, before its type is
    checked and before validation. A template that fails names the option and the template error. A rendered secret
    is hidden like a literal one. Of an option's environment variables the first one set wins (C(PVE_*) before
    C(PROXMOX_*)); a value in the file wins over them, and their values are never templated."
  - "Least privilege: C(/cluster/resources) lists only the rows the token or user may see (guests need C(VM.Audit) on
    C(/vms/<vmid>), a pool's ACL counts for its members, so C(PVEAuditor) on C(/pool/<pool>) lists that pool's guests;
    nodes are always listed, their figures only with C(Sys.Audit) on C(/nodes/<node>)). C(/cluster/status) needs
    C(Sys.Audit) on C(/); a 403 there does not fail the run: the guests it may see are listed and one warning quotes
    PVE's text and names what is missing (C(pve_cluster) left out, nodes without C(pve_ip), C(pve_nodeid),
    C(ansible_host)). A token or user that sees nothing at all fails with one error naming the roles to grant.
    O(ansible_host=guest_agent) needs C(VM.GuestAgent.Audit) (PVE 9) or C(VM.Monitor) (PVE 8) on each guest;
    O(ansible_host=config) and O(guest_config) need C(VM.Audit), which listing the guest already takes."
  - "Keys of the file that are no option get a warning each, with the nearest option (C(include_template): did you mean
    include_templates?) or, for community.proxmox's options (2.0.0 and 2.1.0's C(exclude_vms), C(facts_concurrency),
    C(qemu_hostname), C(lxc_hostname)), the equivalent here or the reason there is none; O(strict=true) makes them an
    error, before any request. A O(hostname) or O(node_hostname) over community.proxmox 2.1's raw API fields
    (V({{ name }}), V({{ vmid }})) fails naming the host variable to use (C(pve_name), C(pve_vmid))."
  - "Guest host variables (with the default O(facts_prefix)): C(pve_vmid) (int), C(pve_name), C(pve_node), C(pve_type) (V(qemu) or
    V(lxc)), C(pve_status) (as PVE reports it: V(running), V(stopped), V(paused), V(unknown), ...), C(pve_template) (bool,
    V(null) when PVE does not know: see the guests of offline nodes below),
    C(pve_tags) (list), C(pve_pool), C(pve_hastate), C(pve_lock) (these three only when PVE reports them),
    C(pve_cluster) (the cluster name, or V(null) on a standalone node; left out when C(/cluster/status) was not read),
    C(pve_node_ip) (the IP address of the guest's node from C(/cluster/status), no extra request; set only when it is an
    IP address, left out when C(/cluster/status) was not read; e.g. for
    C(ansible_ssh_common_args: -o ProxyJump=root@{{ pve_node_ip }})); with
    O(ansible_host=guest_agent) also C(pve_ip_addresses) (list), C(pve_interfaces) (list of C({name, mac, ipv4, ipv6})),
    C(ansible_host), and C(pve_agent_error) when the address lookup failed."
  - "Node host variables: C(pve_node), C(pve_type=node), C(pve_status) (V(online), V(offline), V(unknown)), C(pve_ip),
    C(pve_nodeid), C(pve_cluster); C(ansible_host) is the node's cluster IP address from C(/cluster/status), set only when
    it is an IP address (never a name that DNS would resolve)."
  - "These are lean on purpose: nothing that changes on every read, so an inventory sync that stores host variables (AWX)
    or a cache sees no change on an unchanged cluster. With O(include_metrics=true) guests and nodes also get C(pve_cpu),
    C(pve_maxcpu), C(pve_mem), C(pve_maxmem), C(pve_disk), C(pve_maxdisk), C(pve_uptime) (when PVE has statistics)."
  - "O(filters), O(hostname), O(compose), O(groups) and O(keyed_groups) see every field PVE sent, stored or not: the host
    variables, those seven figures, a guest's C(pve_netin), C(pve_netout), C(pve_diskread), C(pve_diskwrite),
    C(pve_memhost) (PVE 9, qemu), and C(pve_id) (the resource id, V(qemu/100) or V(node/pve1)). So
    V(pve_maxmem > 8589934592) filters without O(include_metrics), and O(compose) stores any of them
    (V(pve_id: pve_id))."
  - "Groups (with the default O(group_prefix)): C(pve_nodes) (the nodes), C(pve_qemu), C(pve_lxc), C(pve_<status>) (guests by
    status, e.g. C(pve_running), C(pve_stopped)), C(pve_node_<node>) (the guests on a node), C(pve_pool_<pool>),
    C(pve_tag_<tag>), C(pve_templates). Characters that are invalid in a group name become V(_), the way Ansible's
    constructed groups are made safe (tag V(web-1) gives C(pve_tag_web_1), pool V(prod/web) gives C(pve_pool_prod_web))."
  - "Guests of a node that C(/cluster/status) reports offline stay in the inventory as PVE reports them, and one warning
    names the node. For about 5 minutes after the node went down PVE still reports their last known state (name,
    template flag, figures, often C(pve_status=running)); after that their rows carry no name and no template flag
    (C(pve_status=unknown)). Such a guest is named C(<type>-<vmid>) (V(qemu-128)) like any guest whose hostname renders
    empty, its C(pve_template) is V(null), and it is kept whatever O(include_templates) says, because PVE no longer
    says whether it is a template. With O(ansible_host=guest_agent) no address is looked up for guests of offline
    nodes (they get no C(ansible_host))."
  - Every string that comes from the API (names, tags, pools, locks, ...) is marked unsafe, so it is never templated.
  - "A guest's name never rewires the inventory: hosts are only ever added to groups as hosts (also by O(groups) and
    O(keyed_groups)), and a host whose name is a group name known when it is added (a group of another inventory source
    read before this one, one of this plugin's groups, a key of O(groups), V(all), V(ungrouped)) or V(localhost) is named
    V(<type>-<vmid>) (V(qemu-105); a node V(node-<name>)) instead, with a warning. Control characters in host names are
    written as escapes (V(\\\\x1b) for ESC)."
  - "Rows PVE should never send are left out with a warning naming them: a guest whose vmid is not an integer in
    100..999999999. A value of the wrong type (an object where text is expected) is treated as missing."
  - "Trust boundary: guest-agent addresses (O(ansible_host=guest_agent)) come from inside the guest, so its tenant can claim
    any address; so can whoever may edit a guest's network configuration (O(ansible_host=config)).
    O(ansible_host_networks) accepts only your networks (an address outside every listed network is never used, whatever
    the guest reports or its configuration says). A guest's name is its tenant's choice too: it never joins a host
    another inventory source defined (see O(join_existing_hosts)) and never names a file outside the inventory."
  - With O(cache=true) the raw API answers are cached; hosts, groups, O(filters), O(hostname) and the constructed options are
    applied to them on every run, so a cached run makes no request at all. Use C(--flush-cache) to refresh.
  - "The cache entry is keyed on the inventory file and the connection (O(api_host), O(api_port), O(api_user),
    O(api_token_id)): the same file pointed at another cluster never serves this one's hosts. A file-based cache plugin's
    file is created readable by its owner only (0600, never chmod-ed, no symbolic link followed); it holds the answers
    with secrets hidden. Objects with a key starting with C(__ansible_) (such as C({\"__ansible_vault\": ...}) or
    C({\"__ansible_type\": ...})), which Ansible would revive, are treated as missing, with a warning, before they are
    used or cached."
author:
  - pve.cluster maintainers (@pve-cluster)
extends_documentation_fragment:
  - pve.cluster.connection.PLUGINS
  - constructed
  - inventory_cache
options:
  plugin:
    description: The name of this plugin; makes the file a C(pve.cluster.pve) inventory source.
    type: str
    required: true
    choices: [pve.cluster.pve]
  include_nodes:
    description:
      - Add the PVE nodes as hosts, in group C(<group_prefix>nodes), with C(ansible_host) set to the node's IP address from
        C(/cluster/status). A node is named by O(node_hostname), by default its node name.
      - V(false) does not ask C(GET /cluster/status) at all (one request instead of two); guests then have no
        C(pve_cluster), and the offline nodes are those C(/cluster/resources) reports offline.
    type: bool
    default: true
  include_templates:
    description:
      - Add VM and container templates as hosts too (group C(<group_prefix>templates)).
      - A guest whose template flag PVE does not report (a guest of a node offline for more than 5 minutes) is kept
        either way, with C(pve_template=null).
    type: bool
    default: false
  include_metrics:
    description:
      - "Also store the point-in-time figures as host variables: C(pve_cpu), C(pve_maxcpu), C(pve_mem), C(pve_maxmem),
        C(pve_disk), C(pve_maxdisk), C(pve_uptime) (of guests and nodes, when PVE reports them)."
      - "V(false) (the default) leaves them out: CPU, memory in use and uptime change on every read, so an inventory sync
        that stores host variables (AWX, a cache) would see every host change, and fewer variables make a large
        inventory faster to build and smaller in memory."
      - O(filters), O(hostname), O(compose), O(groups) and O(keyed_groups) see these figures either way (and the
        counters C(pve_netin), C(pve_netout), C(pve_diskread), C(pve_diskwrite), C(pve_memhost) and the resource id
        C(pve_id)), so V(pve_maxmem > 8589934592) works as a filter without this option.
    type: bool
    default: false
  guest_types:
    description: Which kinds of guests become hosts.
    type: list
    elements: str
    choices: [qemu, lxc]
    default: [qemu, lxc]
  filters:
    description:
      - Jinja2 conditions over a host's C(pve_*) fields (every field PVE sent, host variable or not, before O(compose),
        as the description lists them); a guest or node is added only when all of them are true.
      - Checked when the file is read, before any request; a syntax error or a name that is no field of this plugin
        fails the run, naming the filter. They cannot use C(ansible_host), C(pve_ip_addresses), C(pve_interfaces),
        C(pve_config), C(pve_ostype) or C(pve_description), which are looked up only for the hosts that pass the filters
        (use O(groups) or O(keyed_groups) for those).
      - Filters apply to guests and nodes. A condition that fails because it uses a variable the host does not carry
        (C(pve_tags) or C(pve_vmid) on a node, C(pve_pool) on a guest outside any pool) is false for that host, quietly
        (also with O(strict=true)); so V('prod' in pve_tags) selects the guests tagged V(prod) and no node, without a guard.
      - Any other evaluation error excludes the host with one short warning (how many, the first three, the first error),
        or fails the run with O(strict=true); when it excludes every host, the run fails instead of giving an empty
        inventory.
    type: list
    elements: str
    default: []
  hostname:
    description:
      - Jinja2 template of a guest's inventory hostname, over its fields (every C(pve_*) field PVE sent, as for O(filters),
        and with O(ansible_host=guest_agent) C(ansible_host) and C(pve_ip_addresses)).
      - "When not set: V({{ pve_name }}), the guest's name (also when O(facts_prefix) is changed), taken directly without
        templating. This default is not declared in the option's C(default) field because ansible-core renders Jinja2
        defaults of plugin options while it loads them."
      - A guest whose hostname renders empty (for example a guest without a name) is named C(<type>-<vmid>), e.g. V(qemu-105).
      - Two guests never merge. When several render the same hostname (or a node's name), the guest with the lowest vmid
        keeps it and the others get C(-<vmid>) after the first label of the name (V(web) and V(web-105);
        V(web.lab.example.com) and V(web-105.lab.example.com); an IP address gets it at the end); a warning lists each
        renamed guest of the inventory.
      - Duplicates are resolved over the whole cluster (every node, guest and template), before O(include_nodes),
        O(guest_types), O(include_templates) and O(filters) leave hosts out, so a guest keeps its name whatever they say.
        A template that uses C(ansible_host) or C(pve_ip_addresses) can only be rendered after the address lookup, for
        the selected guests, so its duplicates are resolved among those.
      - Nodes are named by O(node_hostname).
    type: str
  node_hostname:
    description:
      - Jinja2 template of a node's inventory hostname, over its host variables (C(pve_node), C(pve_ip),
        C(pve_cluster), ...), for example V({{ pve_node }}.example.com) for nodes addressed by FQDN.
      - "When not set: V({{ pve_node }}), the node name, taken directly without templating (as O(hostname))."
      - The rules of O(hostname) apply. A node whose template renders empty or fails keeps its node name (with
        O(strict=true) a failure is an error naming the node); two nodes never merge (the second gets C(-<node name>)
        after the first label); a name that is a group name is renamed V(node-<name>); control characters are
        escaped.
    type: str
  ansible_host:
    description:
      - How to set C(ansible_host) for guests. V(none), or one source or a list of sources tried in the order given,
        for example V([guest_agent, config]) (the agent's live address when the guest reports one, else the configured
        one). A single source may be written without the list (V(ansible_host=guest_agent)).
      - V(none) leaves it unset (Ansible connects to the inventory hostname).
      - "Only the selected guests (after O(guest_types), O(include_templates) and O(filters)) of nodes that are not
        offline are asked, O(max_workers) requests at a time, within O(api_total_timeout). Each source is asked only
        for the guests that the sources before it gave no address (O(ansible_host_networks) applies to every source)."
      - "V(config) reads each guest's configuration (C(GET /nodes/{node}/qemu/{vmid}/config): cloud-init C(ipconfigN)
        C(ip=)/C(ip6=); C(GET /nodes/{node}/lxc/{vmid}/config): C(netN) C(ip=)/C(ip6=); V(dhcp), V(auto) and
        V(manual) are no address), whatever the guest's status, so a stopped or agent-less guest gets the address
        configured in PVE (pending changes included, as PVE answers without C(current)). One request per guest. A guest
        PVE refuses (HTTP 403) or that vanished meanwhile (HTTP 500 C(does not exist)) stays, without an address,
        and one warning per kind names them."
      - "V(guest_agent) asks each selected running guest for its addresses, in parallel (O(max_workers)):
        qemu VMs through the QEMU guest agent (C(GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces)),
        containers through C(GET /nodes/{node}/lxc/{vmid}/interfaces) (both its PVE 8.1-8.3 form with C(inet)/C(inet6)
        and its PVE 8.4+ form with C(ip-addresses) are read). This costs one request per running guest.
        PVE 7 has no container endpoint (HTTP 501): one container is asked, the others are not, and one warning
        says so; containers then get no C(ansible_host).
        It sets C(pve_ip_addresses) (every address found, in the guest's interface order), C(pve_interfaces) (a list
        of C({name, mac, ipv4, ipv6}) per interface, the addresses with their prefix length, e.g. V(10.0.0.5/24), so
        O(compose) can select an interface by name or MAC:
        V((pve_interfaces | selectattr('name', 'equalto', 'eth0') | first).ipv4 | first | split('/') | first))
        and C(ansible_host) (see O(ansible_host_networks)).
        A guest whose lookup fails (no agent, agent not running, command unsupported, node unreachable, bad answer)
        stays in the inventory without C(ansible_host), gets C(pve_agent_error), and a warning names it; the run goes on."
    type: list
    elements: str
    choices: [none, guest_agent, config]
    default: [none]
  guest_config:
    description:
      - "Set C(pve_config) on each selected guest (of a node that is not offline): its PVE configuration, keys with
        V(_) where PVE writes V(-), PVE's 0/1 flags as booleans, numbers as numbers, and C(net*) and C(ipconfig*)
        parsed into dicts (C(pve_config.ipconfig0.ip), C(pve_config.net0.bridge)); C(digest), C(description) and
        C(cipassword) are left out. Also C(pve_ostype) and C(pve_description) (the notes, at most 2048 characters)."
      - One request per guest (the same one as O(ansible_host=config), made once when both are set), O(max_workers) at
        a time. Without it nothing is asked and these variables are not set. Every string is marked unsafe.
      - They are set after O(filters) run, so filters cannot use them (use O(groups) or O(keyed_groups)).
    type: bool
    default: false
  ansible_host_networks:
    description:
      - With O(ansible_host) sources, networks in CIDR notation, in order of preference; C(ansible_host) becomes the
        first address found inside the first network that has one (for the guest agent's and the configured addresses).
      - "These networks restrict: an address outside every listed network is never used. A guest that reports none
        inside them gets no C(ansible_host) (its addresses stay in C(pve_ip_addresses))."
      - When none are given, the first IPv4 address is used; IPv6 addresses only when a listed network allows them
        (V(::/0) for any, so an IPv6-only guest gets its address; list V(0.0.0.0/0) first to keep preferring IPv4).
      - Loopback, link-local, unspecified and multicast addresses are never used, also inside V(0.0.0.0/0) or V(::/0).
      - "Pick order: the networks in the order listed; inside one network, the addresses in the order the guest reports
        its interfaces (C(pve_ip_addresses)), or the configured interfaces by index (C(ipconfig0) before C(ipconfig1),
        C(ip=) before C(ip6=)). Without networks: the first IPv4 address in that order."
    type: list
    elements: str
    default: []
  join_existing_hosts:
    description:
      - "V(false) (the default): a guest or node whose hostname is a host that another inventory source defined before
        this one (a static file, another plugin) is named V(<type>-<vmid>) (V(qemu-105); a node V(node-<name>)) instead,
        with a warning, so a tenant who names a VM V(bastion) never gets the static C(bastion)'s variables
        (C(ansible_user), C(ansible_password), ...)."
      - "V(true): such a guest or node joins that host, as Ansible merges hosts of several sources, for a static entry
        paired with a guest on purpose. Even then the C(ansible_host) the other source set is kept: neither the
        guest agent's nor a node's address nor O(compose) replaces it."
      - "Hosts of another C(pve.cluster.pve) source are never joined across clusters: the same guest or node of the
        same connection (O(api_host) and port) read by two files is one host; a host of that name from another
        connection makes this source's host V(<name>-<cluster>) (V(web-lab2); the API host and port for a standalone
        node: V(pve-192-0-2-10)) after the first label, with a warning."
      - "Sources are read in the order Ansible reads them (an inventory directory: by file name); a source read after
        this one adds to a host of the same name as Ansible does, so name static files to sort before C(*.pve.yml)."
    type: bool
    default: false
  max_workers:
    description: How many per-guest requests (O(ansible_host) sources, O(guest_config)) run at the same time.
    type: int
    default: 8
  group_prefix:
    description: Prefix of the groups this plugin creates.
    type: str
    default: pve_
  facts_prefix:
    description: Prefix of the host variables this plugin sets (C(pve_vmid) becomes C(<facts_prefix>vmid)).
    type: str
    default: pve_
notes:
  - "O(compose), O(groups) and O(keyed_groups) apply to guests and nodes alike. With O(strict=true), an entry that fails
    for a host because it uses a documented variable this kind of host does not carry (C(pve_tags), C(pve_vmid) or
    C(pve_ip_addresses) on a node; C(pve_pool) on a guest outside any pool) skips that host quietly, as O(filters) do,
    so C(keyed_groups: [{key: pve_tags}]) or C(compose: {ansible_host: pve_ip_addresses[0]}) need no guard; any other
    failure is an error."
  - "A host name that could name a file outside the inventory for C(host_vars) (a C(/) or C(\\) in it, or V(.) or
    V(..) alone; PVE never sends such a guest or node name) is replaced by V(<type>-<vmid>) (V(node-<name>) for a
    node, with such characters replaced by V(_)), with a warning."
  - An API token (or user) with the C(PVEAuditor) role on C(/) sees every guest; with fewer privileges PVE lists only the
    guests (C(VM.Audit)) and pools (C(Pool.Audit)) the token may see.
  - O(filters) and templated O(hostname), O(compose), O(groups) and O(keyed_groups) cost one Jinja2 evaluation per host
    each; the defaults cost none.
requirements:
  - requests
"""

EXAMPLES = r"""
# pve.yml -- connection from the environment (PVE_API_HOST, PVE_API_TOKEN_ID, PVE_API_TOKEN_SECRET, PVE_CA_PATH)
plugin: pve.cluster.pve

---
# cluster.pve.yml -- connection in the file, the secret from a lookup; running qemu VMs only,
# addresses from the guest agent (a CA file: ca_path: /etc/ssl/pve-root-ca.pem)
plugin: pve.cluster.pve
api_host: "{{ lookup('ansible.builtin.env', 'PVE_API_HOST') }}"
api_token_id: "{{ lookup('ansible.builtin.env', 'PVE_API_TOKEN_ID') }}"
api_token_secret: "{{ lookup('ansible.builtin.env', 'PVE_API_TOKEN_SECRET') }}"
include_nodes: false
guest_types: [qemu]
filters:
  - pve_status == 'running'
ansible_host: guest_agent
ansible_host_networks:
  - 10.0.0.0/16
  - 192.168.10.0/24
max_workers: 16

---
# community.pve.yml -- option names and variables as in community.proxmox, cached for an hour
plugin: pve.cluster.pve
url: "{{ lookup('ansible.builtin.env', 'PROXMOX_URL') }}"
user: "{{ lookup('ansible.builtin.env', 'PROXMOX_USER') }}"
password: "{{ lookup('ansible.builtin.env', 'PROXMOX_PASSWORD') }}"
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ansible-pve
cache_timeout: 3600

---
# fqdn.pve.yml -- hostnames with a domain, constructed variables and groups
plugin: pve.cluster.pve
hostname: "{{ pve_name }}.lab.example.com"
compose:
  ansible_user: "'root' if pve_type == 'lxc' else 'ansible'"
groups:
  big: pve_maxmem is defined and pve_maxmem > 16 * 1024 ** 3
keyed_groups:
  - key: pve_hastate | default('none')
    prefix: ha
  - key: pve_status
    prefix: node_status
    parent_group: nodes_by_status
"""

import ipaddress
import re

from ansible import constants as C
from ansible.errors import AnsibleError, AnsibleParserError
from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.pve.cluster.plugins.module_utils._options import DEFAULT_PORT, VMID_MAX, VMID_MIN, parse_api_host
from ansible_collections.pve.cluster.plugins.module_utils._parallel import run_bounded
from ansible_collections.pve.cluster.plugins.module_utils._normalize import out_of_range_warning, take_out_of_range
from ansible_collections.pve.cluster.plugins.module_utils._scrub import terminal_safe
from ansible_collections.pve.cluster.plugins.module_utils._errors import PveOptionError, PvePermissionError
from ansible_collections.pve.cluster.plugins.module_utils._access import refusal, sees_nothing
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_access as access
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_agent as agent
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_cache as stored
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_filters as filters
from ansible_collections.pve.cluster.plugins.plugin_utils._inventory_constructed import entries as constructed_entries
from ansible_collections.pve.cluster.plugins.plugin_utils._inventory_constructed import skips as constructed_skips
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_hosts as hosts
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_config as guest_config
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_keys as keys
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_lookups as lookups
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_names as names
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_offline as offline
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_store as shared
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_templates as templates
from ansible_collections.pve.cluster.plugins.plugin_utils._inventory import ansible_errors, client_for
from ansible_collections.pve.cluster.plugins.plugin_utils._unsafe import unsafe_text

DEFAULT_HOSTNAME = "{{ pve_name }}"
CACHE_FORMAT = 1
# The default cost of a run: these two reads, asked at the same time (one round trip, not two).
BASE_PATHS = ("/cluster/resources", "/cluster/status")
_BARE_VARIABLE = re.compile(r"^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")
_PLUGIN_LINE = re.compile(r"""^plugin:\s*["']?pve\.cluster\.pve["']?\s*(#.*)?$""", re.MULTILINE)
_LISTED = 8  # items named in one aggregated warning


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "pve.cluster.pve"

    def __init__(self):
        super().__init__()
        self._client = None
        self._cache_key = None
        self._lookups = None  # (chosen, asked) of lookups.plan() for this run

    # -- source file -----------------------------------------------------------------------------
    def verify_file(self, path):
        if not super().verify_file(path):
            return False
        if path.endswith(("pve.yml", "pve.yaml")):
            return True
        if _declares_this_plugin(path):
            hint = ""
            if path.endswith(("proxmox.yml", "proxmox.yaml")):
                hint = "; coming from community.proxmox, see %s for what else changes" % keys.MIGRATION_PAGE
            message = ("%s: the file name of a %s inventory source must end with pve.yml or pve.yaml "
                       "(for example cluster.pve.yml)%s" % (path, self.NAME, hint))
            # ansible-core swallows an error of verify_file when it calls it itself (enable_plugins naming this
            # plugin): the warning is what the user sees then, before the ini plugin's "Invalid host pattern"
            self.display.warning(message)
            raise AnsibleParserError(message)
        self.display.vvv("%s: skipping %s, its name does not end with pve.yml or pve.yaml" % (self.NAME, path))
        return False

    def set_options(self, task_keys=None, var_options=None, direct=None):
        """The file's connection options rendered (templates, !vault) and the first environment variable
        of each unset one, before ansible-core checks their types."""
        if direct:
            names = templates.connection_names(C.config.get_configuration_definitions("inventory", self._load_name))
            variables = var_options if var_options is not None else getattr(self, "_vars", None)
            direct = templates.render(direct, names, self.templar, variables)
            direct.update(templates.first_env_wins(direct, names))
        super().set_options(task_keys=task_keys, var_options=var_options, direct=direct)

    def _read_config(self, path):
        try:
            config = self._read_config_data(path)
        except AnsibleParserError as err:
            if "Incorrect plugin name" in to_text(err):
                raise AnsibleParserError("%s: 'plugin' must be %s for this inventory source, got: %s"
                                         % (path, self.NAME, to_text(err).rsplit(":", 1)[-1].strip())) from None
            raise
        messages = keys.unknown_key_messages(config, C.config.get_configuration_definitions("inventory", self._load_name))
        if messages and self.get_option("strict"):
            raise AnsibleParserError("%s: %s (strict: true makes unknown options an error)" % (path, "; ".join(messages)))
        for message in messages:
            self.display.warning("%s: %s: %s" % (self.NAME, path, message))

    # -- main ------------------------------------------------------------------------------------
    def parse(self, inventory, loader, path, cache=True):
        with shared.cyclic_gc_paused():  # the build's objects all stay alive: collecting would walk them for nothing
            self._parse(inventory, loader, path, cache)

    def _parse(self, inventory, loader, path, cache):
        super().parse(inventory, loader, path, cache)
        self._read_config(path)
        settings = self._settings()
        cache_on = bool(self.get_option("cache"))
        # keyed on the connection too: the same source pointed at another cluster never gets this one's hosts
        cache_key = self._cache_key = stored.connection_key(self.get_cache_key(path), self.get_option)
        take_out_of_range()  # what an earlier source left: warned about there
        try:
            raw = self._cached(cache_key) if cache_on and cache else None
            records = self._from_cache(raw, settings) if raw is not None else None
            if records is None:
                raw = self._data_only(self._fetch_base(settings), "the API")
                shared.free_cycles()  # the HTTP exchange's (a response in a cycle holds its whole body)
                records = self._select(raw, settings)
                self._lookups = self._plan(records, settings, raw, fetch=True)
                if cache_on:
                    self._cache[cache_key] = raw
            if raw.get("status_refused"):
                self._warn(access.refused_warning(raw["status_refused"], settings["facts_prefix"]))
            down_warning = offline.warning(records, settings["facts_prefix"])
            if down_warning:
                self._warn(down_warning)
            if self._lookups is not None:
                chosen, asked = self._lookups
                self._apply_agent(asked["guest_agent"], raw.get("agent") or {}, settings, chosen)
                self._apply_config(asked["config"], raw.get("config") or {}, settings)
                for record in records:
                    if record.key in chosen:
                        record.vars["ansible_host"] = unsafe_text(chosen[record.key][1])
            if not cache_on:  # the answers are no longer needed: freed before the hosts are made (peak memory)
                raw = None
                if not (settings["late_hostname"] or self.get_option("compose") or self.get_option("groups")
                        or self.get_option("keyed_groups")):
                    hosts.release_rows(records)
            self._populate(records, settings)
            odd_numbers = out_of_range_warning(take_out_of_range())
            if odd_numbers:
                self._warn(odd_numbers)
        finally:
            if self._client is not None:
                self._client.close()
                self._client = None

    def update_cache_if_changed(self):
        """The cache file is the owner's only (0600)."""
        stored.write_private(self._cache, self._cache_key)

    def _data_only(self, raw, source):
        raw, replaced = stored.data_only(raw)
        if replaced:
            self._warn("%d value(s) from %s were not plain data (an object with a key such as \"__ansible_vault\" or "
                       "\"__ansible_type\" that Ansible would revive); treated as missing" % (replaced, source))
        return raw

    def _settings(self):
        """All non-connection options, validated before any request."""
        get = self.get_option  # choices and types are enforced by ansible-core's config manager
        with ansible_errors():
            networks = agent.parse_networks(get("ansible_host_networks"))
            sources = lookups.parse_sources(get("ansible_host"))
        workers = get("max_workers")
        if workers < 1:
            raise AnsibleError("max_workers: must be an integer >= 1, got %r" % (workers,))
        facts_prefix = get("facts_prefix") if get("facts_prefix") is not None else "pve_"
        try:
            conditions = filters.check([f for f in (get("filters") or []) if f is not None and str(f).strip()],
                                       facts_prefix)
        except filters.FilterError as err:
            raise AnsibleError(str(err)) from None
        hostname = get("hostname")
        if hostname is None:
            hostname = DEFAULT_HOSTNAME
        if not str(hostname).strip():
            raise AnsibleError("hostname: must be a non-empty Jinja2 template, e.g. '{{ pve_name }}'")
        node_hostname = get("node_hostname")
        if node_hostname is not None and not str(node_hostname).strip():
            raise AnsibleError("node_hostname: must be a non-empty Jinja2 template, e.g. '{{ pve_node }}.example.com'")
        for option, template in (("hostname", hostname), ("node_hostname", node_hostname)):
            self._no_raw_fields(option, template, facts_prefix)
        return {
            "late_hostname": bool(sources or get("guest_config")) and filters.uses_agent_variables(hostname, facts_prefix),
            "guest_types": frozenset(get("guest_types")),
            "include_nodes": bool(get("include_nodes")),
            "include_templates": bool(get("include_templates")),
            "filters": conditions,
            "hostname": hostname,
            "node_hostname": node_hostname,
            "sources": sources,
            "guest_config": bool(get("guest_config")),
            "networks": networks,
            "max_workers": workers,
            "facts_prefix": facts_prefix,
            "group_prefix": get("group_prefix") if get("group_prefix") is not None else "pve_",
            "metrics": bool(get("include_metrics")),
            "strict": bool(get("strict")),
        }

    @staticmethod
    def _no_raw_fields(option, template, prefix):
        """community.proxmox 2.1's {{ name }} / {{ vmid }}: an error naming the pve_* variable, before any request
        (else every host would quietly fall back to <type>-<vmid>)."""
        if template is None:
            return
        try:
            used = filters.variables_used(str(template))
        except Exception:  # pylint: disable=broad-except
            return  # a syntax error is reported when the template is rendered
        message = keys.raw_field_message(option, str(template), used, prefix)
        if message:
            raise AnsibleError(message)

    # -- API -------------------------------------------------------------------------------------
    def _get_client(self):
        """Created on first use only, so a cached run makes no request (not even a login)."""
        if self._client is None:
            self._client = client_for(self, warn=self._warn_client, log=self.display.vvvv,
                                      pool_size=self.get_option("max_workers") or 8)
        return self._client

    def _fetch_base(self, settings):
        """/cluster/resources, and /cluster/status for the nodes (without include_nodes it is not asked).

        A 403 on /cluster/status (no Sys.Audit on /) leaves out what only it knows, with one warning.
        """
        paths = BASE_PATHS if settings["include_nodes"] else BASE_PATHS[:1]
        refused = None
        with ansible_errors("%s inventory" % self.NAME):
            client = self._get_client()
            if client.config.auth_kind == "ticket" and len(paths) > 1:
                client.login()  # once, before the two reads run side by side
            answers = run_bounded(client.get, paths, max_workers=len(paths))
            for path, _data, error in answers:
                if isinstance(error, PvePermissionError) and path == "/cluster/status":
                    refused = error
                elif error is not None:
                    raise error
            resources, status = [data for _path, data, _error in answers] + [None] * (2 - len(answers))
        if not isinstance(resources, list) or not (status is None or isinstance(status, list)):
            raise AnsibleError("%s inventory: PVE answered /cluster/resources or /cluster/status with something other "
                               "than a list" % self.NAME)
        if sees_nothing(resources) and (refused is not None or not settings["include_nodes"]):
            raise AnsibleError(access.nothing_visible_message(self.NAME, refused))
        raw = {"format": CACHE_FORMAT, "resources": resources, "status": status}
        if refused is not None:
            raw["status_refused"] = refusal(refused)
        return raw

    # -- hosts -----------------------------------------------------------------------------------
    def _cached(self, cache_key):
        try:
            entry = self._cache[cache_key]
        except KeyError:
            return None
        except Exception as err:  # pylint: disable=broad-except
            # a cache file Ansible's decoder cannot read (e.g. written before __ansible_* keys were refused): refreshed
            self._warn("the inventory cache could not be read (%s); refreshing it" % type(err).__name__)
            return None
        return self._data_only(entry, "the cache")

    def _from_cache(self, raw, settings):
        """Selected HostRecords from a cached answer, or None when it cannot serve these options."""
        if not isinstance(raw, dict) or raw.get("format") != CACHE_FORMAT:
            return None
        if settings["include_nodes"] and raw.get("status") is None and not raw.get("status_refused"):
            return None  # cached without include_nodes: /cluster/status was not asked
        records = self._select(raw, settings)
        self._lookups = self._plan(records, settings, raw, fetch=False)
        if self._lookups is False:
            self.display.vvv("%s: the cache lacks answers these options need; refreshing it" % self.NAME)
            self._lookups = None
            return None
        return records

    def _select(self, raw, settings):
        """Raw answers -> the HostRecords these options select (nodes first, then guests by vmid).

        Hostnames are given over the whole cluster first, so that no option or filter changes them;
        a hostname template that uses the guest-agent variables is rendered later, for the selected hosts.
        """
        invalid = []
        everyone = hosts.build_records(raw.get("resources"), raw.get("status"), settings["facts_prefix"], invalid,
                                       metrics=settings["metrics"])
        if invalid:
            self._warn("%d guest row(s) left out: vmid is not an integer in %d..%d: %s"
                       % (len(invalid), VMID_MIN, VMID_MAX, _listing(invalid)))
        records = [r for r in everyone if hosts.selected(r, settings)]
        if settings["filters"]:
            records = self._apply_filters(records, settings)
        if not settings["late_hostname"]:
            self._hostnames(everyone, settings, records)
        return records

    def _plan(self, records, settings, raw, fetch):
        """lookups.plan() over these records: (chosen, asked), None when nothing is looked up, False when `fetch`
        is off (a cached run) and the cache lacks an answer. Fetched answers go into raw["agent"] / raw["config"]."""
        if not settings["sources"] and not settings["guest_config"]:
            return None
        for key in lookups.RAW_KEYS.values():
            if not isinstance(raw.get(key, {}), dict):
                if not fetch:
                    return False  # a cache entry that is no mapping of answers: refresh
                raw[key] = {}
        answers = dict((source, raw.setdefault(key, {})) for source, key in lookups.RAW_KEYS.items())
        prefix = settings["facts_prefix"]
        eligible = [r for r in records if r.kind == "guest" and not r.node_offline]
        result = lookups.plan(eligible, settings["sources"], settings["guest_config"],
                              lambda r: r.vars[prefix + "status"] == "running", answers,
                              (lambda source, wanted: self._fetch(source, wanted, settings)) if fetch else None,
                              lambda source, record, answer: _pick(source, record, answer, settings["networks"]))
        return False if result is None else result

    def _fetch(self, source, records, settings):
        prefix = settings["facts_prefix"]
        guests = [(r.key, r.key.split("/", 1)[0], r.vars[prefix + "node"], r.vmid) for r in records]
        if source == "guest_agent":
            answers = agent.fetch_answers(self._get_client, guests, settings["max_workers"])
        else:
            answers = lookups.fetch_configs(self._get_client(), guests, settings["max_workers"])
        return self._data_only(answers, "the guest agents" if source == "guest_agent" else "the guest configs")

    def _apply_filters(self, records, settings):
        try:
            kept, warning = filters.apply(settings["filters"], records, self._condition, settings["strict"],
                                          settings["facts_prefix"])
        except filters.FilterError as err:
            raise AnsibleError(str(err)) from None
        if warning:
            self._warn(warning)
        return kept

    def _condition(self, condition, variables):
        self.templar.available_variables = variables
        if hasattr(self.templar, "evaluate_conditional"):  # ansible-core >= 2.19
            return bool(self.templar.evaluate_conditional(condition))
        return boolean(self.templar.template("{%% if %s %%}True{%% else %%}False{%% endif %%}" % condition))

    def _apply_agent(self, wanted, answers, settings, chosen):
        """pve_ip_addresses, pve_interfaces, pve_agent_error; the warning names the guests left without an address."""
        prefix = settings["facts_prefix"]
        failures = []
        no_endpoint = 0
        for record in wanted:
            answer = answers.get(record.key) or {}
            error = answer.get("error") if isinstance(answer, dict) else "no answer"
            if error is not None and record.key.startswith("lxc/") and answer.get("status") == agent.NO_LXC_ENDPOINT:
                record.vars[prefix + "agent_error"] = unsafe_text(str(error))
                no_endpoint += 1
                continue
            found = []
            if error is None:
                try:
                    found = agent.addresses(answer.get("data"))
                except ValueError as err:
                    error = str(err)
            if error is not None:
                record.vars[prefix + "agent_error"] = unsafe_text(str(error))
                if record.key not in chosen:  # another source gave it an address: nothing to warn about
                    failures.append("%s (%s): %s" % (record.name or record.key, record.key, error))
                continue
            record.vars[prefix + "ip_addresses"] = [unsafe_text(a) for a in found]
            record.vars[prefix + "interfaces"] = [_unsafe_interface(i) for i in agent.interfaces(answer.get("data"))]
        if no_endpoint:
            self._warn("this PVE has no GET /nodes/{node}/lxc/{vmid}/interfaces (HTTP 501; it exists from "
                       "PVE 8.1), so %d running container(s) got no address" % no_endpoint)
        if failures:
            self._warn("no address from the guest agent for %d running guest(s) (their hostvar %sagent_error "
                       "says why): %s" % (len(failures), prefix, _listing(failures)))

    def _apply_config(self, asked, answers, settings):
        """guest_config variables, and one warning per kind of failure (refused, vanished, other)."""
        prefix = settings["facts_prefix"]
        failures = {"refused": [], "vanished": [], "failed": []}
        for record in asked:
            answer = answers.get(record.key)
            answer = answer if isinstance(answer, dict) else {"error": "no answer"}
            data = answer.get("data")
            if answer.get("error") is None and not isinstance(data, dict):
                answer = {"error": "the configuration is no object: %.80r" % (data,)}
            if answer.get("error") is not None:
                failures[lookups.failure_kind(answer)].append(
                    "%s (%s): %s" % (record.name or record.key, record.key, answer["error"]))
                continue
            if settings["guest_config"]:
                kind = record.key.split("/", 1)[0]
                record.vars[prefix + "config"] = wrap_var(guest_config.normalise(data, kind))
                for name, value in (("ostype", guest_config.ostype(data)), ("description", guest_config.description(data))):
                    if value is not None:
                        record.vars[prefix + name] = unsafe_text(value)
        texts = {
            "refused": "PVE refused the configuration of %d guest(s) (HTTP 403: the token or user lacks VM.Audit on "
                       "them); they stay, without what it would give (address, %sconfig): %s",
            "vanished": "%d guest(s) vanished between GET /cluster/resources and the read of their configuration "
                        "(deleted or moved meanwhile); they stay, without what it would give (address, %sconfig): %s",
            "failed": "no configuration for %d guest(s); they stay, without what it would give (address, %sconfig): %s",
        }
        for kind in ("refused", "vanished", "failed"):
            if failures[kind]:
                self._warn(texts[kind] % (len(failures[kind]), prefix, _listing(failures[kind])))

    def _hostnames(self, records, settings, shown):
        """Give each record a unique hostname, in order (nodes first, then guests by vmid).

        Warnings name only the records of `shown` (the hosts the inventory will hold).
        """
        template = settings["hostname"]
        bare = _BARE_VARIABLE.match(template)
        default = template == DEFAULT_HOSTNAME or (bare is not None and bare.group(1) == settings["facts_prefix"] + "name")
        node_template = settings["node_hostname"]
        node_bare = _BARE_VARIABLE.match(node_template) if node_template else None
        node_default = node_template is None or (node_bare is not None
                                                 and node_bare.group(1) == settings["facts_prefix"] + "node")
        shown = {r.key for r in shown}
        taken = set()
        renamed = []
        failures = []
        paths = []
        for record in records:
            node = record.kind == "node"
            if (node and node_default) or (not node and default):
                name = record.name
            else:
                option, text, simple = ("node_hostname", node_template, node_bare) if node else ("hostname", template, bare)
                try:
                    name = self._render_hostname(text, simple, record.fields(settings["facts_prefix"]))
                except Exception as err:  # pylint: disable=broad-except
                    if record.key in shown and settings["strict"]:
                        raise AnsibleError("%s: %r failed for %s: %s" % (option, text, record.key, to_native(err)))
                    if record.key in shown:
                        failures.append("%s (%s)" % (record.key, to_native(err)))
                    name = ""
            if node and not name:
                name = record.name  # a node whose node_hostname renders empty keeps its node name
            if name and names.is_path(name):  # host_vars/<name> must stay inside the inventory
                if record.key in shown:
                    paths.append("%s (%s)" % (name, record.key))
                name = names.path_safe_name(record, name)
            if not name:
                name = record.fallback_name()
            name = terminal_safe(name)  # Ansible prints host names on every task line: no raw escapes
            if name in taken:
                wanted = name
                while name in taken:
                    name = hosts.with_vmid(name, record.vmid) if not node else names.with_suffix(name, record.name)
                if record.key in shown:
                    renamed.append("%s -> %s (%s)" % (wanted, name, record.key))
            taken.add(name)
            record.hostname = unsafe_text(name)
        if failures:
            self._warn("hostname could not be rendered for %d host(s), used <type>-<vmid> (a node: its node name) "
                       "instead: %s"
                       % (len(failures), _listing(failures)))
        if paths:
            self._warn("%d host(s) renamed because their name is no valid PVE guest or node name and could name a "
                       "file outside the inventory (host_vars/<name>): %s" % (len(paths), _listing(paths)))
        if renamed:
            self._warn("%d guest(s) share a hostname with a guest of lower vmid or a node and were renamed: %s"
                       % (len(renamed), _listing(renamed)))

    def _render_hostname(self, template, bare, host_vars):
        if bare is not None:  # "{{ var }}": a lookup, no Jinja2 needed
            if bare.group(1) not in host_vars:
                raise AnsibleError("'%s' is undefined" % bare.group(1))
            value = host_vars[bare.group(1)]
            return "" if value is None else to_text(value).strip()
        self.templar.available_variables = host_vars
        return to_text(self.templar.template(template)).strip()

    def _populate(self, records, settings):
        """The records into the inventory; `records` is emptied on the way (each record let go once its host is in)."""
        if settings["late_hostname"]:
            self._hostnames(records, settings, records)
        inventory = self.inventory
        group_name = hosts.GroupNamer(settings["group_prefix"])
        prefix = settings["facts_prefix"]
        compose = self.get_option("compose")
        groups = self.get_option("groups")
        keyed_groups = self.get_option("keyed_groups")
        strict = settings["strict"]
        # each record's built-in groups, named once per build (a few distinct names for thousands of hosts)
        named = [[group_name(suffix) for suffix in record.groups] for record in records]
        ours = dict.fromkeys(group for host_groups in named for group in host_groups)  # in order of first use
        # a host named like a group (another source's, ours, a `groups:` key, all, ungrouped) is renamed
        renamed = names.rename_group_clashes(records, set(inventory.groups) | set(ours) | set(groups or {}))
        if renamed:
            self._warn("%d host(s) renamed because their name is a group name (a host never becomes a group): %s"
                       % (len(renamed), _listing(renamed)))
        joined = self._rename_across_sources(records, settings)
        constructed = constructed_entries(compose, groups, keyed_groups) if strict else []
        documented = filters.host_variables(prefix) | filters.agent_variables(prefix)
        known = names.owners(inventory)
        identity = self._identity()
        for group in ours:
            inventory.add_group(group)
        group_objects = inventory.groups  # the inventory's own mapping: a group keyed_groups adds shows up in it
        store = shared.SharedValues(inventory, [prefix + key for key in hosts.SHARED_VARS])
        any_constructed = bool(compose or groups or keyed_groups)
        for index, record in enumerate(records):
            host = record.hostname
            kept_address = None
            if host in joined:  # opted in: another source's host, whose ansible_host is never replaced
                kept_address = inventory.get_host(host).vars.get("ansible_host")
            else:
                known.setdefault(host, (identity, record.key))
            first, rest = named[index][0], named[index][1:]
            named[index] = None
            inventory.add_host(host, group=first)  # creates the host (named with the unsafe text), or finds it
            # the host exists now: later calls only look it up by name, as plain text (ansible-core < 2.19 formats
            # the name into a debug message on every call, which costs more for unsafe text)
            entity = str.__str__(host)
            for group in rest:
                # add_child(group, host) adds the existing host, for less than add_host; only add_host when a group
                # of that name exists (keyed_groups may add one later): add_child would nest that group instead
                if entity in group_objects:
                    inventory.add_host(host, group=group)
                else:
                    inventory.add_child(group, entity)
            host_vars = record.vars
            if record.kind == "node" and _is_ip(host_vars.get(prefix + "ip")):
                host_vars["ansible_host"] = host_vars[prefix + "ip"]  # an IP address only, never a name to resolve
            store.set_all(entity, host_vars)
            if any_constructed:
                fields = record.fields(prefix)  # every field PVE sent, stored as a host variable or not
                if strict and constructed:
                    self._construct_strictly(constructed, documented, fields, host)
                else:
                    if compose:
                        self._set_composite_vars(compose, fields, host, strict=strict)
                    if groups or keyed_groups:
                        self.inventory = names.HostsOnly(inventory, host)
                        try:
                            if groups:
                                self._add_host_to_composed_groups(groups, fields, host, strict=strict)
                            if keyed_groups:
                                self._add_host_to_keyed_groups(keyed_groups, fields, host, strict=strict)
                        finally:
                            self.inventory = inventory
            if kept_address is not None:
                inventory.set_variable(host, "ansible_host", kept_address)
            records[index] = None  # its variables are in the inventory now: let the record go (peak memory)

    def _construct_strictly(self, constructed, documented, host_vars, host):
        """compose, groups, keyed_groups one entry at a time: an entry that fails because it uses a documented
        variable this host does not carry (pve_tags on a node) skips the host quietly; other failures raise."""
        inventory = self.inventory
        for kind, entry, used in constructed:
            try:
                if kind == "compose":
                    self._set_composite_vars(entry, host_vars, host, strict=True)
                    continue
                self.inventory = names.HostsOnly(inventory, host)
                if kind == "groups":
                    self._add_host_to_composed_groups(entry, host_vars, host, strict=True)
                else:
                    self._add_host_to_keyed_groups(entry, host_vars, host, strict=True)
            except Exception:  # pylint: disable=broad-except
                if not constructed_skips(used, host_vars, documented):
                    raise
            finally:
                self.inventory = inventory

    def _identity(self):
        """The connection this source reads (scheme, host, port), as rendered; the raw text if it does not parse."""
        api_host, api_port = self.get_option("api_host"), self.get_option("api_port")
        try:
            return parse_api_host(api_host, api_port)
        except PveOptionError:
            return (str(api_host), str(api_port))

    def _rename_across_sources(self, records, settings):
        """Hosts another source defined: another cluster's are never merged, other sources' are joined only with
        join_existing_hosts. Returns the hostnames that join another source's host."""
        inventory = self.inventory
        cluster = next((r.vars.get(settings["facts_prefix"] + "cluster") for r in records
                        if r.vars.get(settings["facts_prefix"] + "cluster")), None)
        identity = self._identity()
        suffix = names.source_suffix(cluster, identity[-2], identity[-1], DEFAULT_PORT)
        clusters, others, joined = names.rename_across_sources(
            records, set(inventory.hosts), names.owners(inventory), identity, suffix,
            bool(self.get_option("join_existing_hosts")))
        if clusters:
            self._warn("%d host(s) renamed because another %s source added a host of that name for another "
                       "cluster or guest (two machines never merge into one host): %s"
                       % (len(clusters), self.NAME, _listing(clusters)))
        if others:
            self._warn("%d host(s) renamed because another inventory source defined a host of that name (a guest "
                       "never joins a host it does not own; join_existing_hosts: true to pair them on purpose): %s"
                       % (len(others), _listing(others)))
        if joined:
            self.display.vvv("%s: %d host(s) join the host of that name of another inventory source "
                             "(join_existing_hosts), keeping its ansible_host: %s"
                             % (self.NAME, len(joined), _listing(sorted(joined))))
        return set(joined)

    def _warn_client(self, message):
        self.display.warning(terminal_safe(message))

    def _warn(self, message):
        """A warning with API text in it: control characters escaped."""
        self.display.warning(terminal_safe("%s: %s" % (self.NAME, message)))


def _pick(source, record, answer, networks):
    """The address a source's raw answer gives a guest (ansible_host_networks applied), or None."""
    if not isinstance(answer, dict) or answer.get("error") is not None:
        return None
    try:
        if source == "guest_agent":
            found = agent.addresses(answer.get("data"))
        else:
            found = guest_config.addresses(answer.get("data"), record.key.split("/", 1)[0])
    except ValueError:
        return None
    return agent.pick_address(found, networks)


def _unsafe_interface(interface):
    """One pve_interfaces entry with every string from the guest marked unsafe."""
    return {
        "name": unsafe_text(interface["name"]) if interface["name"] is not None else None,
        "mac": unsafe_text(interface["mac"]) if interface["mac"] is not None else None,
        "ipv4": [unsafe_text(a) for a in interface["ipv4"]],
        "ipv6": [unsafe_text(a) for a in interface["ipv6"]],
    }


def _declares_this_plugin(path):
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536).decode("utf-8", "replace")
    except (IOError, OSError):
        return False
    return _PLUGIN_LINE.search(head) is not None


def _is_ip(value):
    try:
        ipaddress.ip_address(str(value))
    except ValueError:
        return False
    return True


def _listing(items):
    shown = "; ".join(items[:_LISTED])
    if len(items) > _LISTED:
        shown += "; and %d more" % (len(items) - _LISTED)
    return shown
