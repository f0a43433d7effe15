// CloudEventsIT's external client: publishes one CloudEvent to the bus with the official CloudEvents SDK
// (HTTP binary mode) and waits for the bus to deliver it back to this process's webhook, read with the same SDK.
// Prints one JSON line per step; exits 0 once the event came back, non-zero otherwise.
const http = require("node:http");
const { CloudEvent, HTTP } = require("cloudevents");

const { BUS_URL, TOKEN, EVENT_ID, HOST, PORT } = process.env;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    res.writeHead(204);
    res.end();
    const body = Buffer.concat(chunks).toString("utf8");
    let received;
    try {
      received = HTTP.toEvent({ headers: req.headers, body });
    } catch (e) {
      console.log(JSON.stringify({ refused: String(e), headers: req.headers, body }));
      return;
    }
    if (Array.isArray(received) || received.id !== EVENT_ID) {
      return;
    }
    console.log(JSON.stringify({
      received: received.toJSON(),
      contentType: req.headers["content-type"],
      ceId: req.headers["ce-id"] || null,
      webhookId: req.headers["webhook-id"] || null,
    }));
    server.close();
    process.exit(0);
  });
});

server.listen(Number(PORT), HOST, async () => {
  const event = new CloudEvent({
    id: EVENT_ID,
    type: "user.created",
    source: "user-service",
    time: "2024-05-20T13:45:30.000Z",
    datacontenttype: "application/json",
    data: { userId: "usr-node", email: "node@example.com", name: "Node Client" },
    correlationid: "corr-" + EVENT_ID,
    partitionkey: "user-node",
  });
  const message = HTTP.binary(event);
  try {
    const answer = await fetch(BUS_URL + "/v1/events", {
      method: "POST",
      headers: { ...message.headers, Authorization: "Bearer " + TOKEN },
      body: message.body,
    });
    console.log(JSON.stringify({ published: answer.status, answer: await answer.json() }));
    if (answer.status !== 202) {
      process.exit(2);
    }
  } catch (e) {
    console.log(JSON.stringify({ publishFailed: String(e) }));
    process.exit(2);
  }
});

setTimeout(() => {
  console.log(JSON.stringify({ timedOut: "no webhook delivery within 90 s" }));
  process.exit(3);
}, 90000);
