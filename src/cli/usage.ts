export const USAGE = `oncall-mcp: an MCP server for on-call work (Grafana OnCall / Cloud IRM semantics)

Usage:
  oncall-mcp [options]                     serve MCP over stdio (the default)
  oncall-mcp call <tool> ['<json args>']   run one tool, print its text (exit 1 if it fails)
  oncall-mcp tools                         list the tools: name, read/write/destructive, summary

Options (each also read from the environment variable shown):
  --data FILE          load the organisation from a JSON data file        ONCALL_MCP_DATA
                       (default: the built-in demo organisation)
  --persist            save every change to --data FILE, atomically;      ONCALL_MCP_PERSIST
                       creates FILE from the demo organisation if missing
  --read-only          register no tool that changes anything             ONCALL_MCP_READ_ONLY
  --toolsets a,b       only these toolsets: chains, paging, integrations, ONCALL_MCP_TOOLSETS
                       schedules, directory
  --public-url URL     base of links in results (default http://localhost:8080)
                                                                          ONCALL_MCP_PUBLIC_URL
  --json               with 'call': print the structured result as JSON
  -h, --help           this help
  -v, --version        the version

Exit codes: 0 ok, 1 the tool returned an error, 2 bad usage or a bad data file.
`;
