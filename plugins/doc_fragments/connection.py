# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Connection options of every module (docs/INTERFACE.md section 1).
    DOCUMENTATION = r"""
options:
  api_host:
    description:
      - The PVE node or cluster address to talk to; C(https://HOST:8006/api2/json) is used.
      - A host name, C(host:port), an IPv6 literal (V([fd00::1]:8006)), or a URL (V(https://pve1.example.com:8006)).
      - If not set, the environment variables E(PVE_API_HOST), E(PROXMOX_HOST) and E(PROXMOX_URL) are tried, in that order.
    type: str
    required: true
  api_port:
    description:
      - The API port. Ignored when O(api_host) carries a port.
      - If not set, E(PVE_API_PORT) or E(PROXMOX_PORT) is used.
    type: int
    default: 8006
  api_user:
    description:
      - The PVE user, C(user@realm), in any realm (V(jane@corp.example@ad) is user C(jane@corp.example) of realm C(ad)).
      - Needed for password authentication, and for an O(api_token_id) given without its C(user@realm!) part.
      - If not set, E(PVE_API_USER) or E(PROXMOX_USER) is used.
    type: str
  api_password:
    description:
      - Password for ticket authentication (one C(POST /access/ticket) per run). Mutually exclusive with O(api_token_id) and O(api_token_secret).
      - If not set, E(PVE_API_PASSWORD) or E(PROXMOX_PASSWORD) is used.
    type: str
  api_token_id:
    description:
      - API token id, C(user@realm!name) (V(jane@corp.example@ad!ansible) too), or just C(name) together with O(api_user).
      - If not set, E(PVE_API_TOKEN_ID) or E(PROXMOX_TOKEN_ID) is used.
    type: str
  api_token_secret:
    description:
      - "API token secret (a UUID). Sent as C(Authorization: PVEAPIToken=user@realm!name=SECRET); never logged."
      - If not set, E(PVE_API_TOKEN_SECRET) or E(PROXMOX_TOKEN_SECRET) is used.
    type: str
  validate_certs:
    description:
      - Verify the API's TLS certificate. Set to V(false) only for testing; this holds even when E(REQUESTS_CA_BUNDLE) is set.
      - If not set, E(PVE_VALIDATE_CERTS) or E(PROXMOX_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file with the CA to trust, for example a copy of the cluster's C(/etc/pve/pve-root-ca.pem).
      - If not set, E(PVE_CA_PATH) or E(PROXMOX_CA_PATH) is used.
    type: path
  api_timeout:
    description:
      - Seconds for each request as a whole (connect, headers and body), not per read; a server that sends its answer
        slowly cannot hold a request longer than this.
      - The default matches pveproxy's own 30 seconds (the node you contact waits that long for another node
        before it answers HTTP 595), so a shorter timeout would give up on a slow node before PVE does.
      - A per-node read (C(/nodes/<node>/...)) that times out is not retried; that node is reported unreachable.
      - If not set, E(PVE_API_TIMEOUT) is used.
    type: int
    default: 30
  api_total_timeout:
    description:
      - Seconds for everything one module run asks, retries and backoff included; no request gets more time than what
        is left of it. When it runs out the module fails saying C(api_total_timeout) ran out.
      - If not set, E(PVE_API_TOTAL_TIMEOUT) is used.
    type: int
    default: 600
  api_max_answer_mb:
    description:
      - The largest answer accepted, in MiB, counted after decompression (a gzip-compressed answer counts by what it
        expands to). A larger answer fails the module with a message naming this option.
      - The default is far above what PVE sends (a C(/cluster/resources) answer of 10,000 guests is about 4 MiB).
      - If not set, E(PVE_API_MAX_ANSWER_MB) is used.
    type: int
    default: 64
  api_retries:
    description:
      - How often a GET is retried after a connection error, a timeout, or HTTP 502/503/504,
        with exponential backoff (0.5s, 1s, 2s, ...). Other errors are never retried, and neither is a per-node
        read that timed out.
      - Each retry is reported as a warning.
      - If not set, E(PVE_API_RETRIES) is used.
    type: int
    default: 3
  api_allow_http:
    description:
      - Allow an O(api_host) of V(http://...). PVE serves its API over HTTPS only, and plain HTTP sends the token or
        password in clear text, so C(http://) is refused unless this is V(true); then every run warns.
      - Only for a TLS-terminating proxy on the same host.
      - If not set, E(PVE_API_ALLOW_HTTP) is used.
    type: bool
    default: false
notes:
  - Authenticate with an API token (recommended) or a user and password.
    For these read-only modules a token with the C(PVEAuditor) role on C(/) is enough.
  - Supported Proxmox VE versions are 7.4, 8.x and 9.x. Where an answer differs between them, the option or return
    value says so; the collection's C(docs/INTERFACE.md) (section 1a) lists every difference in one table.
  - Error messages carry PVE's text, from the answer's C(message) (pve-http-server 5.2.0 and later, PVE 8.4 and 9)
    or else from the HTTP reason phrase (PVE 7.4 to 8.3). PVE answers a refused token or password after 3 seconds;
    that answer is not retried.
requirements:
  - requests
"""

    # The same options for the inventory plugin: env, and aliases for community.proxmox users.
    PLUGINS = r"""
options:
  api_host:
    description:
      - The PVE node or cluster address; a host name, C(host:port), an IPv6 literal, or a URL (V(https://pve1.example.com:8006)).
    type: str
    required: true
    aliases: [url]
    env:
      - name: PVE_API_HOST
      - name: PROXMOX_HOST
      - name: PROXMOX_URL
  api_port:
    description: The API port. Ignored when O(api_host) carries a port.
    type: int
    default: 8006
    env:
      - name: PVE_API_PORT
      - name: PROXMOX_PORT
  api_user:
    description: The PVE user, C(user@realm); needed for password authentication and for a token id without C(user@realm!).
    type: str
    aliases: [user]
    env:
      - name: PVE_API_USER
      - name: PROXMOX_USER
  api_password:
    description: Password for ticket authentication. Mutually exclusive with O(api_token_id) and O(api_token_secret).
    type: str
    aliases: [password]
    env:
      - name: PVE_API_PASSWORD
      - name: PROXMOX_PASSWORD
  api_token_id:
    description: API token id, C(user@realm!name), or C(name) together with O(api_user).
    type: str
    aliases: [token_id]
    env:
      - name: PVE_API_TOKEN_ID
      - name: PROXMOX_TOKEN_ID
  api_token_secret:
    description: API token secret; never logged.
    type: str
    aliases: [token_secret]
    env:
      - name: PVE_API_TOKEN_SECRET
      - name: PROXMOX_TOKEN_SECRET
  validate_certs:
    description: Verify the API's TLS certificate; holds even when E(REQUESTS_CA_BUNDLE) is set.
    type: bool
    default: true
    env:
      - name: PVE_VALIDATE_CERTS
      - name: PROXMOX_VALIDATE_CERTS
  ca_path:
    description: A PEM file with the CA to trust, for example a copy of the cluster's C(/etc/pve/pve-root-ca.pem).
    type: path
    env:
      - name: PVE_CA_PATH
      - name: PROXMOX_CA_PATH
  api_timeout:
    description:
      - Seconds for each request as a whole (connect, headers and body). The default matches pveproxy's 30 second
        timeout for other nodes.
      - A per-guest read that times out is not retried.
    type: int
    default: 30
    env:
      - name: PVE_API_TIMEOUT
  api_total_timeout:
    description:
      - Seconds for everything one inventory build asks (guest agent lookups and retries included).
      - When it runs out the build fails saying C(api_total_timeout) ran out.
    type: int
    default: 600
    env:
      - name: PVE_API_TOTAL_TIMEOUT
  api_max_answer_mb:
    description: The largest answer accepted, in MiB after decompression; a larger one fails naming this option.
    type: int
    default: 64
    env:
      - name: PVE_API_MAX_ANSWER_MB
  api_retries:
    description: How often a GET is retried after a connection error, a timeout, or HTTP 502/503/504, with backoff.
    type: int
    default: 3
    env:
      - name: PVE_API_RETRIES
  api_allow_http:
    description:
      - Allow an O(api_host) of V(http://...), refused otherwise because the token or password would travel in clear
        text; every run warns. Only for a TLS-terminating proxy on the same host.
    type: bool
    default: false
    env:
      - name: PVE_API_ALLOW_HTTP
requirements:
  - requests
"""
