-- analysts.sql - questions analysts ask, straight in SQLite.
--
--   sqlite3 -header -column ~/.local/share/complaint/complaints.db < analysts.sql
--
-- Only the views are a stable interface (complaints, journal, followups;
-- see complaint(7)); the tables behind them may change between versions.

-- Complaints per month and category.
SELECT substr(received_at, 1, 7) AS month, category, count(*) AS n
FROM complaints GROUP BY 1, 2 ORDER BY 1, 3 DESC;

-- Open complaints per owner, oldest first.
SELECT owner, count(*) AS open, min(received_at) AS oldest
FROM complaints WHERE status IN ('new', 'assigned', 'waiting')
GROUP BY owner ORDER BY oldest;

-- Share of complaints resolved within their deadline, by severity.
SELECT severity, count(*) AS resolved,
       round(100.0 * sum(resolution_resolved_at <= due_resolve) / count(*), 1)
         AS on_time_pct
FROM complaints WHERE resolution_resolved_at IS NOT NULL
GROUP BY severity;

-- Hours from receipt to acknowledgement, on average, by channel.
SELECT channel,
       round(avg((julianday(acknowledged_at) - julianday(received_at)) * 24), 1)
         AS hours_to_ack
FROM complaints WHERE acknowledged_at IS NOT NULL GROUP BY channel;

-- Who changed what today.
SELECT at, actor, program, complaint_id, field, old, new, note
FROM journal WHERE at >= date('now') ORDER BY at;

-- Average satisfaction of follow-ups done, by channel.
SELECT channel, count(*) AS done, round(avg(satisfaction), 2) AS satisfaction
FROM followups WHERE done_at IS NOT NULL AND satisfaction IS NOT NULL
GROUP BY channel;

-- Customers who complained more than once (by phone).
SELECT customer_phone, count(*) AS complaints, group_concat(id) AS ids
FROM complaints WHERE customer_phone IS NOT NULL
GROUP BY customer_phone HAVING count(*) > 1 ORDER BY 2 DESC;
