/**
 * Sparkplug B's two counters. `seq` numbers every message of an edge node's session
 * (NBIRTH is 0, then each DBIRTH, NDATA, DDATA, DDEATH one more, 255 wraps to 0), so
 * a host notices a lost message. `bdSeq` pairs an NBIRTH with the NDEATH will
 * registered on the same MQTT connection; it moves on with each new connection.
 */
export class SparkplugSequence {
  private nextSeq = 0;
  private currentBdSeq = 0;

  get bdSeq(): number {
    return this.currentBdSeq;
  }

  /** A new MQTT connection is about to be made: its will carries the next bdSeq. */
  nextConnection(): number {
    this.currentBdSeq = (this.currentBdSeq + 1) % 256;
    return this.currentBdSeq;
  }

  /** The NBIRTH's seq (0); numbering restarts from it. */
  birth(): number {
    this.nextSeq = 1;
    return 0;
  }

  next(): number {
    const seq = this.nextSeq;
    this.nextSeq = (this.nextSeq + 1) % 256;
    return seq;
  }
}
