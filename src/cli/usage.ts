export const USAGE = `oncall-mcp: an MCP server for on-call work (Grafana OnCall / Cloud IRM semantics)

Usage:
  oncall-mcp [options]                     serve MCP over stdio (the default)
  oncall-mcp --transport http [options]    serve MCP over HTTP: Streamable HTTP at /mcp, legacy
                                           SSE at /sse + /messages, health at /healthz
  oncall-mcp call <tool> ['<json args>']   run one tool, print its text (exit 1 if it fails)
  oncall-mcp tools                         list the tools: name, read/write/destructive, summary
  oncall-mcp doctor                        check the connection to a live OnCall / Cloud IRM: URL,
                                           discovery, auth form, token kind, clock, tools that work
  oncall-mcp api [--host H] [--port N]     serve the Grafana OnCall REST API v1 (/api/v1/...) over
                                           the backend (default 127.0.0.1:8080)
  oncall-mcp export [--db DB] [FILE|-]     write the organisation as a data file (default stdout)
  oncall-mcp import FILE --db DB [--replace]
                                           check a data file and store it in the database DB

Options (each also read from the environment variable shown):
  --data FILE          load the organisation from a JSON data file        ONCALL_MCP_DATA
                       (default: the built-in demo organisation)
  --db DB              keep the organisation in the SQLite database DB,   ONCALL_MCP_DB
                       every change stored; a new DB is seeded from
                       --data FILE, else from the demo organisation
  --persist            with --data FILE: the database FILE.db next to     ONCALL_MCP_PERSIST
                       it, seeded from FILE on the first start
  --replace            with 'import': overwrite the organisation DB holds
  --read-only          register no tool that changes anything             ONCALL_MCP_READ_ONLY
  --toolsets a,b       only these toolsets: oncall, chains, paging,       ONCALL_MCP_TOOLSETS
                       integrations, schedules, directory
  --public-url URL     base of links in results (default http://localhost:8080)
                                                                          ONCALL_MCP_PUBLIC_URL
  --log-level LEVEL    error, warn (default), info (one line per HTTP     ONCALL_MCP_LOG_LEVEL
                       request), debug; logs go to stderr
  --webhook-allow a,b  hosts, *.domains, IPs or CIDRs that webhooks may   ONCALL_MCP_WEBHOOK_ALLOW
                       reach although internal (by default only public addresses;
                       e.g. 127.0.0.1,10.0.0.0/8,hooks.internal)
  --json               with 'call': print the structured result as JSON
  -h, --help           this help
  -v, --version        the version

A live Grafana OnCall / Cloud IRM instead of the embedded engine:
  --backend B          memory (default) or http; http is the default      ONCALL_MCP_BACKEND
                       when ONCALL_API_URL or GRAFANA_URL is set
  --grafana-url URL    the Grafana stack: sent as X-Grafana-URL, and      GRAFANA_URL
                       where the OnCall API URL is discovered (plugin settings)
  --api-url URL        the OnCall API base URL (…/api/v1 is appended);    ONCALL_API_URL
                       overrides discovery
  --token-file F       read the token from file F; or set                 ONCALL_MCP_TOKEN_FILE
                       ONCALL_API_TOKEN (a token is never a flag value)
  --auth-scheme S      raw (default, what OnCall accepts) or bearer       ONCALL_MCP_AUTH_SCHEME

The REST API ('oncall-mcp api'):
  --api-token-file F   the token clients must send (raw or Bearer); or    ONCALL_MCP_API_TOKEN_FILE
                       set ONCALL_MCP_API_TOKEN; otherwise a random one is printed once
  --rate-limit N       API requests per minute per token (default 300)    ONCALL_MCP_RATE_LIMIT
  --alert-rate-limit N  inbound alerts per integration per 5 minutes      ONCALL_MCP_ALERT_RATE_LIMIT
                       (default 300)
  --org-alert-rate-limit N  inbound alerts of all integrations together
                       per 5 minutes (default 500)                        ONCALL_MCP_ORG_ALERT_RATE_LIMIT
  --auth-failure-limit N  wrong API or integration tokens from one        ONCALL_MCP_AUTH_FAILURE_LIMIT
                       address per minute before it is refused (default 30)
                       Each limit: 0 = off; over it, 429 with Retry-After.

Serving over HTTP:
  --transport T        stdio (default) or http                            ONCALL_MCP_TRANSPORT
  --host HOST          address to listen on (default 127.0.0.1); any      ONCALL_MCP_HOST
                       non-loopback address needs a bearer token
  --port N             port (default 8765; 0 = any free port); the URL    ONCALL_MCP_PORT
                       is printed to stderr once listening
  --stateless          no sessions: a fresh server per request, JSON      ONCALL_MCP_STATELESS
                       responses (for replicas behind a load balancer)
  --allowed-hosts a,b  extra Host names to accept (DNS-rebinding guard)   ONCALL_MCP_ALLOWED_HOSTS
  --allowed-origins a,b  extra browser origins, e.g. https://app.example.com
                                                                          ONCALL_MCP_ALLOWED_ORIGINS
  --max-sessions N     open sessions at most (default 100; then 503)      ONCALL_MCP_MAX_SESSIONS
  --auth-token-file F  require 'Authorization: Bearer <token>', token     ONCALL_MCP_AUTH_TOKEN_FILE
                       read from file F; or set MCP_AUTH_TOKEN (a token is never a flag value)

Exit codes: 0 ok (also after SIGTERM/SIGINT), 1 the tool returned an error, 2 bad usage or a bad
data file (or a non-loopback --host without a token).
`;
