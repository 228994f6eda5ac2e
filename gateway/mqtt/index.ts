export { startMqttPublisher, type MqttPublisher } from './mqttPublisher';
export { MqttSetupError } from './brokerOptions';
export type { MqttStats } from './brokerLink';
