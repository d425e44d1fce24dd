# gen.awk - a deterministic generator of realistic complaints.
#
#   awk -v n=100000 -f gen.awk              NDJSON, one complaint per line
#   awk -v n=100000 -v csv=1 -f gen.awk     the same as CSV (sqlite3 .import)
#   awk -v n=100000 -v tw=1 -f gen.awk      the same as Taskwarrior tasks
#   awk -v n=100000 -v life=closed -f gen.awk   every one closed, with its
#                                               times (csv=1: as CSV)
#   awk -v n=100000 -v life=new -f gen.awk      the same ones, new
#
# Mixed English and Chinese text, descriptions of 100 to 600 characters,
# received times spread over the two years before 2026-11-20, every
# input field of the record, and a history as a store of that age has
# one: of the complaints older than 30 days 96% are closed (acknowledged
# within 6 hours, replied to within 30 more, resolved in 1 to 16 days,
# a satisfaction score), 2.5% rejected and 1.5% still open; the last
# 30 days hold new, assigned, resolved and closed ones.  A linear congruential generator of our own
# keeps the output identical whatever awk runs it.
#
# With life=closed, the complaints (received up to 20 days before
# 2026-11-20) are all closed, each with every time of its life in order
# (acknowledged, replied, resolved, closed), a resolution and a score:
# an import of history.  With life=new, the same complaints are new,
# without those times.  The other outputs are unchanged by the option.

# Park-Miller "minimal standard": the products stay below 2^53, so awk's
# doubles compute it exactly (a larger multiplier lost bits and cycled).
function rnd(m) {
	seed = (seed * 16807) % 2147483647
	return int(seed / 2147483647 * m)
}
function pick(list,    a, k) {
	k = split(list, a, "|")
	return a[rnd(k) + 1]
}
function jstr(s) {
	gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s)
	return "\"" s "\""
}
function cstr(s) {
	gsub(/"/, "\"\"", s)
	return "\"" s "\""
}
function pad(v, w) {
	return sprintf("%0" w "d", v)
}
# Seconds since the epoch to RFC 3339 (UTC), civil-from-days.
function stamp(t,    d, s, z, era, doe, yoe, y, doy, mp, dd, m) {
	d = int(t / 86400); s = t - d * 86400
	z = d + 719468; era = int(z / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	dd = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9
	if (m <= 2) y++
	return sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, dd,
		       int(s / 3600), int(s % 3600 / 60), s % 60)
}
function text(len,    out, w) {
	out = ""
	while (length(out) < len) {
		if (rnd(2))
			w = pick(zh)
		else
			w = pick(en)
		out = out (out == "" ? "" : (rnd(5) ? " " : "，")) w
	}
	return out	# whole words: never cut a character in two
}

BEGIN {
	seed = 20261120
	if (!n) n = 1000
	zh = "换热器漏水|冷凝器入口|安装师傅|售后服务态度差|多次维修未果|要求退货|配送延误|发票开错|电话无人接听|产品质量问题|包装破损|少发配件|噪音很大|无法启动|假冒伪劣|价格欺诈|合同纠纷|退款迟迟未到|客服推诿|质保期内"
	en = "leak at the inlet|the technician never came|refund still missing|wrong invoice|damaged on delivery|noise at night|does not start|called three times|warranty refused|missing parts|rude agent|late delivery|charged twice|contract terms changed|overheats after an hour"
	channels = "phone|email|web|letter|fax|visit|social|other"
	categories = "product-quality|contract|delivery|service|billing|other"
	severities = "low|normal|normal|normal|high|critical"
	tiers = "key|regular|regular|regular|new"
	remedies = "refund|exchange|repair|discount|compensation|apology|explanation|none"
	ctypes = "remedy|venting|explanation|suggestion"
	depts = "quality|logistics|service"
	owners = "li.gang|zhao.min|sun.li|zhang.wei"
	surnames = "王|李|张|刘|陈|杨|赵|黄|Smith|Garcia|Chen|Wang"
	products = "CF-200 heat exchanger|CF-300 condenser|HX-10 pump|冷水机组 LS-50|空气源热泵 K7|Valve V2"
	tags = "vip|repeat|media|legal|urgent|batch-recall"
	rtypes = "refund|exchange|repair|discount|compensation|apology|explanation|no-action"
	start = 1732060800	# 2024-11-20T00:00:00Z
	span = 730 * 86400
	if (csv)
		print "ref,received_at,channel,customer_name,customer_phone,customer_email,customer_address,customer_tier,customer_id,product_name,product_model,product_serial,product_batch,product_quantity,product_delivered_on,category,severity,summary,description,requested_remedy,complainant_type,department,owner,tags,status,acknowledged_at,replied_at,resolution_type,resolution_amount,resolved_at,satisfaction" (life != "" ? ",closed_at" : "")
	for (i = 1; i <= n; i++) {
		t = start + rnd(32768) * 32768 % span + rnd(32768)
		if (t >= start + span) t = start + span - 1
		# Room for a life that ends before the clock's now.
		if (life != "") t = start + (t - start) % (span - 20 * 86400)
		name = pick(surnames) (rnd(2) ? "先生" : "女士")
		phone = "13" pad(rnd(10), 1) pad(rnd(10000), 4) pad(rnd(10000), 4)
		email = rnd(3) ? "" : "c" i "@example.cn"
		prod = pick(products)
		model = substr(prod, 1, index(prod " ", " ") - 1)
		cat = pick(categories); sev = pick(severities)
		summary = text(12 + rnd(30))
		desc = text(100 + rnd(501))
		dept = pick(depts); owner = rnd(2) ? pick(owners) : ""
		tag = rnd(4) ? "" : pick(tags)
		delivered = substr(stamp(t - (30 + rnd(900)) * 86400), 1, 10)
		# The history: the same draws whatever the output.
		u = rnd(1000); old = t < start + span - 30 * 86400
		ack = t + 60 + rnd(6 * 3600); reply = ack + 600 + rnd(30 * 3600)
		res = t + 86400 + rnd(15 * 86400); rtype = pick(rtypes)
		amount = rtype == "refund" || rtype == "compensation" ? 50 + rnd(450) : 0
		score = 1 + rnd(5); if (score < 3) score += rnd(3)
		if (old)
			status = u < 960 ? "closed" : u < 985 ? "rejected" : "assigned"
		else
			status = u < 400 ? "new" : u < 700 ? "assigned" : u < 850 ? "resolved" : "closed"
		if (res >= start + span && (status == "closed" || status == "resolved"))
			status = "assigned"
		if (life != "") {	# the same draws, closed or new
			res = reply + 3600 + rnd(15 * 86400)
			closed = res + 600 + rnd(3 * 86400)
			status = life
		}
		a_at = status == "new" ? "" : stamp(ack)
		r_at = status == "new" || status == "assigned" ? "" : stamp(reply)
		s_at = status == "closed" || status == "resolved" ? stamp(res) : ""
		c_at = life == "closed" ? stamp(closed) : ""
		if (csv) {
			printf "B-%d,%s,%s,%s,%s,%s,%s,%s,R-%d,%s,%s,S%d,%s,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,",
				i, stamp(t), pick(channels), cstr(name), phone, email,
				cstr("测试市人民路" rnd(999) "号"), pick(tiers), rnd(50000),
				cstr(prod), model, rnd(1000000), "2026-" pad(rnd(12) + 1, 2),
				1 + rnd(5), delivered, cat, sev, cstr(summary), cstr(desc),
				pick(remedies), pick(ctypes), dept, owner, tag
			printf "%s,%s,%s,%s,%s,%s,%s%s\n", status, a_at, r_at,
				s_at == "" ? "" : rtype, s_at == "" || !amount ? "" : amount,
				s_at, status == "closed" ? score : "",
				life != "" ? "," c_at : ""
			continue
		}
		if (tw) {	# the same draws, in the same order, as above
			ch = pick(channels); rnd(999); tier = pick(tiers); rnd(50000)
			rnd(1000000); rnd(12); rnd(5); pick(remedies); pick(ctypes)
			e = stamp(t); gsub(/[-:]/, "", e)
			printf "{\"uuid\":\"%08x-0000-4000-8000-%012d\",\"status\":\"pending\",\"entry\":\"%s\",", i, i, e
			printf "\"description\":%s,\"project\":\"%s\",\"priority\":\"%s\",", jstr(summary), cat, sev == "critical" || sev == "high" ? "H" : sev == "low" ? "L" : "M"
			printf "\"tags\":[\"%s\",\"%s\"%s],", ch, tier, tag == "" ? "" : ",\"" tag "\""
			printf "\"annotations\":[{\"entry\":\"%s\",\"description\":%s}]}\n", e, jstr(desc)
			continue
		}
		printf "{\"ref\":\"B-%d\",\"received_at\":\"%s\",\"channel\":\"%s\",", i, stamp(t), pick(channels)
		printf "\"customer\":{\"name\":%s,\"phone\":\"%s\"%s,\"address\":%s,\"tier\":\"%s\",\"id\":\"R-%d\"},",
			jstr(name), phone, email == "" ? "" : ",\"email\":\"" email "\"",
			jstr("测试市人民路" rnd(999) "号"), pick(tiers), rnd(50000)
		printf "\"product\":{\"name\":%s,\"model\":\"%s\",\"serial\":\"S%d\",\"batch\":\"2026-%s\",\"quantity\":%d,\"delivered_on\":\"%s\"},",
			jstr(prod), model, rnd(1000000), pad(rnd(12) + 1, 2), 1 + rnd(5), delivered
		printf "\"category\":\"%s\",\"severity\":\"%s\",\"summary\":%s,\"description\":%s,", cat, sev, jstr(summary), jstr(desc)
		printf "\"requested_remedy\":\"%s\",\"complainant_type\":\"%s\",\"department\":\"%s\"", pick(remedies), pick(ctypes), dept
		if (owner != "") printf ",\"owner\":\"%s\"", owner
		if (tag != "") printf ",\"tags\":[\"%s\"]", tag
		printf ",\"status\":\"%s\"", status
		if (a_at != "") printf ",\"acknowledged_at\":\"%s\"", a_at
		if (r_at != "") printf ",\"replied_at\":\"%s\"", r_at
		if (s_at != "") {
			printf ",\"resolution\":{\"type\":\"%s\",\"resolved_at\":\"%s\"", rtype, s_at
			if (amount) printf ",\"amount\":%d,\"currency\":\"CNY\"", amount
			printf "}"
		}
		if (c_at != "") printf ",\"closed_at\":\"%s\"", c_at
		if (status == "closed") printf ",\"satisfaction\":%d", score
		printf ",\"attrs\":{\"source\":\"bench\",\"n\":%d}}\n", i
	}
}
