package eu.gov.intake.devservices;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One server that dev mode runs as a child OS process: started, stopped, killed with SIGKILL and started
 * again over the same data. All methods block; callers run them off the event loop.
 */
public final class ManagedProcess {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ManagedProcess.class);
  /*
   * Children are started from this one thread, which lives as long as the JVM: the kernel's parent-death
   * signal (setpriv --pdeathsig) fires when the *thread* that forked the child ends, so a pooled thread that
   * retires would kill a healthy server. When the JVM dies, even by SIGKILL, every child gets SIGKILL.
   */
  private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
    var t = new Thread(r, "devservices-launcher");
    t.setDaemon(true);
    return t;
  });

  private final String name;
  private final List<String> prefix;
  private final List<String> command;
  private final Path logFile;
  private final String stopSignal;
  private Process process;

  /**
   * @param prefix     runs the command in another setting (a user namespace for PostgreSQL under root)
   * @param stopSignal the signal that asks this server for a fast, clean shutdown (PostgreSQL: INT, since
   *                   its TERM waits for every client to disconnect).
   */
  ManagedProcess(String name, List<String> prefix, List<String> command, Path logFile, String stopSignal) {
    this.name = name;
    this.prefix = List.copyOf(prefix);
    this.command = List.copyOf(command);
    this.logFile = logFile;
    this.stopSignal = stopSignal;
  }

  public String name() { return name; }

  public synchronized long pid() { return process == null ? -1 : process.pid(); }

  public synchronized boolean isAlive() { return process != null && process.isAlive(); }

  public synchronized void start() {
    if (isAlive()) return;
    awaitEarlierRunGone();
    var wrapped = new ArrayList<String>();
    // setsid: Ctrl-C in the terminal reaches Intake only, which then stops the servers in order.
    // The parent-death signal goes last, right before the server: a change of credentials (entering a user
    // namespace) would clear it.
    wrapped.add("setsid");
    wrapped.addAll(prefix);
    wrapped.addAll(List.of("setpriv", "--pdeathsig", "KILL"));
    wrapped.addAll(command);
    try {
      process = LAUNCHER.submit(() -> new ProcessBuilder(wrapped)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .start()).get();
      Files.writeString(pidFile(), Long.toString(process.pid()));
    } catch (IOException e) {
      throw new DevServiceFailure("cannot write " + pidFile() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevServiceFailure(name + " start interrupted", e);
    } catch (ExecutionException e) {
      throw new DevServiceFailure("cannot start " + name + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * The same server of an earlier run, on the same data, may still be stopping: Ctrl-C ends Maven at once while
   * the Intake it started drains and then stops its servers, and a start right after would meet the old
   * server's port or lock file ("Connection refused" much later). Wait for it, bounded, and say so; if it does
   * not go, fail with what to do.
   */
  private void awaitEarlierRunGone() {
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile()).strip());
    } catch (IOException | NumberFormatException e) {
      return;  // no earlier run here, or it left nothing readable
    }
    var earlier = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(line -> line.contains(command.get(0))).orElse(false));
    if (earlier.isEmpty()) return;
    LOG.info("{} of an earlier run (pid {}) is still stopping; waiting for it", name, pid);
    try {
      earlier.get().onExit().get(60, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new DevServiceFailure(name + " of an earlier run (pid " + pid + ") still runs on " + logFile.getParent()
          + " after 60 s: stop it (kill " + pid + ") or use another INTAKE_DATA_DIR");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevServiceFailure(name + " start interrupted", e);
    }
  }

  private Path pidFile() { return logFile.resolveSibling(name + ".pid"); }

  private void forgetPid() {
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      LOG.debug("{}: {}", pidFile(), e.toString());
    }
  }

  /** Asks for a clean shutdown, waits up to {@code grace}, then kills. Returns once the process is reaped. */
  public synchronized void stop(Duration grace) {
    if (!isAlive()) return;
    signal(stopSignal);
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) kill();
      forgetPid();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  /** SIGKILL, as a crash would; waits until the process is reaped so a restart finds no stale lock. */
  public synchronized void kill() {
    if (process == null) return;
    process.destroyForcibly();
    try {
      process.waitFor();
      forgetPid();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGSTOP / SIGCONT: a server that hangs without dying, for fault-injection tests. */
  public synchronized void pause() { signal("STOP"); }

  public synchronized void resume() { signal("CONT"); }

  private void signal(String signal) {
    try {
      new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).start().waitFor();
    } catch (IOException e) {
      throw new DevServiceFailure("cannot signal " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until the server accepts TCP connections on loopback, or fails if it exits first. */
  void awaitPort(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!isAlive()) {
        throw new DevServiceFailure(name + " exited during start-up; see " + logFile);
      }
      try (var socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        pauseBriefly();
      }
    }
    throw new DevServiceFailure(name + " did not listen on port " + port + " within " + timeout + "; see " + logFile,
        new TimeoutException());
  }

  private static void pauseBriefly() {
    try {
      TimeUnit.MILLISECONDS.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs a short set-up command (initdb, storage format) to completion; its output goes to the log. */
  static void runToCompletion(String what, List<String> command, Path logFile, Duration timeout) {
    try {
      var p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new DevServiceFailure(what + " did not finish within " + timeout + "; see " + logFile);
      }
      if (p.exitValue() != 0) {
        throw new DevServiceFailure(what + " failed with exit code " + p.exitValue() + "; see " + logFile);
      }
    } catch (IOException e) {
      throw new DevServiceFailure("cannot run " + what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevServiceFailure(what + " interrupted", e);
    }
  }
}
