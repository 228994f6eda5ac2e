/*
 * The machine's floor for one Modbus TCP request at a time: a C client with no
 * library, no event loop and no decoding. It writes a prebuilt 10-register FC 3
 * read, blocks in read() until the 29-byte reply is in, and repeats. No Node
 * client can beat it; the bench prints it beside Bifrost and modbus-serial so a
 * goal can be judged against what this machine allows at all.
 *
 *   pingClient PORT COUNT  ->  on stdout, "ELAPSED_US CPU_US" then one line with
 *                              every round trip in µs, in the order sent
 */
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static double cpu_us(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: pingClient PORT COUNT\n");
    return 2;
  }
  int port = atoi(argv[1]), count = atoi(argv[2]), one = 1;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    perror("pingClient: connect");
    return 1;
  }
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  double *samples = malloc(sizeof(double) * count);
  unsigned char request[12] = {0, 0, 0, 0, 0, 6, 1, 3, 0, 100, 0, 10}, reply[300];
  double cpu_before = cpu_us(), started = now_us();
  for (int i = 0; i < count; i++) {
    request[0] = (i >> 8) & 0xff;
    request[1] = i & 0xff;
    double sent = now_us();
    if (write(fd, request, sizeof request) != sizeof request) {
      perror("pingClient: write");
      return 1;
    }
    for (int got = 0; got < 29;) {
      ssize_t n = read(fd, reply + got, sizeof reply - got);
      if (n <= 0) {
        fprintf(stderr, "pingClient: the server closed the connection\n");
        return 1;
      }
      got += n;
    }
    if (reply[0] != request[0] || reply[1] != request[1] || reply[7] != 3 || reply[8] != 20) {
      fprintf(stderr, "pingClient: reply %d does not answer its request\n", i);
      return 1;
    }
    samples[i] = now_us() - sent;
  }
  double elapsed = now_us() - started, cpu = cpu_us() - cpu_before;
  printf("%.1f %.1f\n", elapsed, cpu);
  for (int i = 0; i < count; i++) printf(i == 0 ? "%.2f" : " %.2f", samples[i]);
  printf("\n");
  return 0;
}
