-- Drives `milepost lsp` from Neovim's own LSP client, headless (Neovim 0.7 and later):
-- opens a milestones file, types an unknown owner, waits for the diagnostic, asks for the
-- definition of a person, and writes what it saw as JSON to $OUT.
local milepost = os.getenv('MILEPOST')
local root = os.getenv('ROOT')
local file = os.getenv('FILE')
local out = os.getenv('OUT')
local result = { diagnostics = {}, definition = nil, errors = {} }

local function finish()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    name = 'milepost',
    cmd = { milepost, 'lsp', '--as-of', '2026-11-23' },
    root_dir = root,
  })
  vim.lsp.buf_attach_client(buf, client)
  -- Type an unknown owner on the first `owner:` line.
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local owner_line
  for i, l in ipairs(lines) do
    if l:match('^    owner: ') then
      owner_line = i - 1
      break
    end
  end
  vim.api.nvim_buf_set_lines(buf, owner_line, owner_line + 1, false, { '    owner: ghost' })
  vim.wait(30000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'owner-unknown' then
        return true
      end
    end
    return false
  end, 50)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, { code = d.code, lnum = d.lnum, col = d.col, end_col = d.end_col, message = d.message })
  end
  result.owner_line = owner_line
  -- Put the owner back and go to its definition in people.yaml.
  vim.api.nvim_buf_set_lines(buf, owner_line, owner_line + 1, false, { '    owner: kenji-t' })
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = owner_line, character = 13 },
  }
  local answers = vim.lsp.buf_request_sync(buf, 'textDocument/definition', params, 30000)
  for _, answer in pairs(answers or {}) do
    if answer.result then
      local loc = answer.result
      if loc[1] then
        loc = loc[1]
      end
      result.definition = { uri = loc.uri or loc.targetUri, line = (loc.range or loc.targetSelectionRange).start.line }
    end
    if answer.err then
      table.insert(result.errors, vim.inspect(answer.err))
    end
  end
  vim.lsp.stop_client(client)
end)
if not ok then
  table.insert(result.errors, tostring(err))
end
finish()
