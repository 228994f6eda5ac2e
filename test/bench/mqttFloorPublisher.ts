/**
 * The MQTT section's floor: a bare mqtt.js publisher sending what the gateway sends
 * (N JSON messages of the same shape, retained, at the same QoS, all at once every
 * second) with nothing behind them: what mosquitto and mqtt.js deliver on this machine.
 *
 *   node mqttFloorPublisher.js URL TAGS SECONDS QOS    prints "connected", then "done"
 */
import mqtt from 'mqtt';

const [url, tagsArg, secondsArg, qosArg] = process.argv.slice(2);
const tags = Number(tagsArg);
const seconds = Number(secondsArg);
const qos = Number(qosArg) as 0 | 1;
const client = mqtt.connect(url, { clientId: 'bench-floor', clean: true });
client.on('connect', () => {
  process.stdout.write('connected\n');
  let round = 0;
  const burst = () => {
    const ts = Date.now();
    for (let i = 0; i < tags; i++) {
      client.publish(`floor/d${i % 10}/t${i}`, JSON.stringify({ value: i + round, quality: 'good', ts }), { qos, retain: true });
    }
    if (++round < seconds) setTimeout(burst, ts + 1000 - Date.now());
    else client.end(false, {}, () => process.stdout.write('done\n'));
  };
  burst();
});
