-- wrk script: POST a batch of BATCH_ITEMS (10) applications per request to /v1/applications:batch, the same ~1 KB
-- application as submit.lua, each item with its own applicant and a fresh idempotencyKey, so every item takes the
-- full path. Needs API_KEY (the demo-counter key of .intake/dev.json: the batch route is the counters' and
-- partners'). wrk counts requests; the benchmark counts the accepted applications from Intake's metric.
local items = tonumber(os.getenv("BATCH_ITEMS") or "10")
local payload = [[{"companyName":"上海浦江云数科技有限公司","companyType":"LIMITED_LIABILITY","registeredCapital":5000000,"businessScope":"从事信息技术、软件科技领域内的技术开发、技术咨询、技术服务、技术转让；计算机系统集成；数据处理服务；软件开发；信息系统运行维护服务；电子产品、计算机软硬件及辅助设备的销售。（依法须经批准的项目，经相关部门批准后方可开展经营活动）","registeredAddress":"上海市浦东新区张江高科技园区碧波路690号3幢501室","legalRepresentative":{"name":"王晓明","idNumber":"310115198803154217"},"shareholders":[{"name":"王晓明","sharePercent":60},{"name":"李华","sharePercent":40}]}]]
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-common.lua")
local counter = 0
local prefix = ""

function init(args)
  prefix = common_init("bench-batch")
end

function request()
  counter = counter + 1
  local parts = {}
  for i = 1, items do
    parts[i] = string.format([[{"serviceCode":"SHAMR-0001","applicant":{"type":"ENTERPRISE","id":"9131%05dMA1FL8X%02d"},"channel":"COUNTER","idempotencyKey":"%s%d-%d","payload":%s}]],
      counter % 100000, i, prefix, counter, i, payload)
  end
  return wrk.format(nil, "/v1/applications:batch", nil, '{"items":[' .. table.concat(parts, ",") .. ']}')
end
