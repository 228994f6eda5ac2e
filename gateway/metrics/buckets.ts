/** Round trips of a Modbus request: a fast TCP device answers in a millisecond, a 9600-baud line in tens, a busy gateway in seconds. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
