-- wrk script for bench/mixed-load.sh: a mix of GraphQL requests a dashboard or an investigation makes, POSTed to
-- /graphql, with every answer checked: a status other than 200, or a body with "errors", is counted as an error.
-- Each wrk thread picks requests at random by weight (seeded per thread, so runs are comparable).

local ids = {
  "QT1", "QMJ", "QHM", "02Q", "52R", "08J", "99M", "W2U3Z", "E54000014", "F83056", "A81019", "B82100",
  "C84048", "E85707", "G82227", "H85082", "M83109", "Y05240", "U46190", "U93165", "RWK", "RY5", "RX1",
  "CH:05057581", "centene-corporation",
}

local function json_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', '\\n') .. '"'
end

local function body(query, variables)
  return '{"query":' .. json_string(query) .. (variables and (',"variables":' .. variables) or '') .. '}'
end

local lookup = [[query($id: ID!) { organisation(id: $id) { id name kind sector validFrom validTo parent { id name } aliases { value scheme } } }]]
local relationships = [[query($id: ID!) { organisation(id: $id) { id relationships(first: 20) { totalCount nodes { type from { id name } to { id name } validFrom validTo confidence sources { title url } } } } }]]

-- { name, weight, function returning a body }
local mix = {
  { "lookup", 30, function() return body(lookup, '{"id":' .. json_string(ids[math.random(#ids)]) .. '}') end },
  { "relationships", 10, function() return body(relationships, '{"id":' .. json_string(ids[math.random(#ids)]) .. '}') end },
  { "organisations", 15, function()
      local lists = {
        [[{ organisations(kind: [CCG], within: "QT1", asOf: "2021-06-01") { totalCount nodes { id name sources { title } } } }]],
        [[{ organisations(kind: [GP_PRACTICE], nameContains: "surgery", asOf: "2022-06-01", first: 50) { totalCount pageInfo { hasNextPage endCursor } nodes { id name } } }]],
        [[{ organisations(within: "QMJ", asOf: "2022-06-01") { totalCount nodes { id name kind sector } } }]],
        [[{ organisations(kind: [TRUST], first: 100) { totalCount nodes { id name sector } } }]],
      }
      return body(lists[math.random(#lists)])
    end },
  { "search", 10, function()
      local texts = { "sherwood forest", "operose", "north west london", "nottingham", "leeds", "medical centre" }
      return body('query($t: String!) { search(text: $t) { id name kind } }', '{"t":' .. json_string(texts[math.random(#texts)]) .. '}')
    end },
  { "whoControls", 10, function()
      return body([[{ whoControls(id: "F83056", asOf: "2022-06-01") { length controller { name } nodes { id name } steps { type controlKind direction validFrom validTo confidence sources { url } } } }]])
    end },
  { "privatisationPaths", 10, function()
      return body([[{ privatisationPaths(from: "QMJ", asOf: "2022-06-01") { length firstPrivate { name } nodes { name sector } steps { type controlKind validFrom validTo sources { url } } } }]])
    end },
  { "connections", 10, function()
      return body([[{ connections(from: "centene-corporation", to: "QT1", first: 5) { length validFrom validTo nodes { name } steps { type direction } } }]])
    end },
  { "lineage", 5, function()
      return body([[{ lineage(id: "W2U3Z") { predecessors { organisation { name } date depth } successors { organisation { name } date depth } } }]])
    end },
}

local total_weight = 0
for _, m in ipairs(mix) do total_weight = total_weight + m[2] end

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(1000 + id)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/graphql-response+json"
  non200, gql_errors, sent = 0, 0, 0
  last_error = ""
end

function request()
  local r = math.random(total_weight)
  for _, m in ipairs(mix) do
    r = r - m[2]
    if r <= 0 then
      sent = sent + 1
      return wrk.format(nil, "/graphql", nil, m[3]())
    end
  end
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    last_error = status .. " " .. body:sub(1, 300)
  elseif body:find('"errors"', 1, true) then
    gql_errors = gql_errors + 1
    last_error = body:sub(1, 300)
  end
end

function done(summary, latency, requests)
  local n200, nerr, nsent, last = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    n200 = n200 + t:get("non200")
    nerr = nerr + t:get("gql_errors")
    nsent = nsent + t:get("sent")
    local err = t:get("last_error")
    if err ~= "" then last = err end
  end
  local e = summary.errors
  io.write(string.format("MIX requests=%d duration_s=%.1f rps=%.1f\n", summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("MIX latency_ms p50=%.2f p90=%.2f p99=%.2f p999=%.2f max=%.2f mean=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000))
  io.write(string.format("MIX errors non200=%d graphql=%d connect=%d read=%d write=%d timeout=%d status=%d\n",
    n200, nerr, e.connect, e.read, e.write, e.timeout, e.status))
  if last ~= "" then io.write("MIX last_error " .. last:gsub("\n", " ") .. "\n") end
end
