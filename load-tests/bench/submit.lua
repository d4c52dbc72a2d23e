-- wrk script: POST one realistic ~1 KB application (a company registration) per request, each with a
-- fresh Idempotency-Key, so every request takes Intake's full path (no replays).
-- Needs API_KEY in the environment (the demo-web key of .intake/dev.json).
local body = [[{"serviceCode":"SHAMR-0001","applicant":{"type":"ENTERPRISE","id":"91310000MA1FL8XQ3B"},"channel":"WEB","payload":{"companyName":"上海浦江云数科技有限公司","companyType":"LIMITED_LIABILITY","registeredCapital":5000000,"businessScope":"从事信息技术、软件科技领域内的技术开发、技术咨询、技术服务、技术转让；计算机系统集成；数据处理服务；软件开发；信息系统运行维护服务；电子产品、计算机软硬件及辅助设备的销售。（依法须经批准的项目，经相关部门批准后方可开展经营活动）","registeredAddress":"上海市浦东新区张江高科技园区碧波路690号3幢501室","legalRepresentative":{"name":"王晓明","idNumber":"310115198803154217"},"shareholders":[{"name":"王晓明","sharePercent":60},{"name":"李华","sharePercent":40}]}}]]
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-common.lua")
local counter = 0
local prefix = ""

function init(args)
  prefix = common_init("bench")
  wrk.body = body
end

-- DELAY_MS: each connection waits this long after an answer before its next request, so that the whole run
-- offers a chosen rate (the benchmark's 50 % load run); unset: as fast as the answers come (saturation).
local pause = tonumber(os.getenv("DELAY_MS") or "")
if pause then
  function delay() return pause end
end

function request()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = prefix .. counter
  return wrk.format()
end
