package dev.lockstep.harness.workload;

import dev.lockstep.harness.generator.Invocation;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The client every bundled workload uses: one {@link GuestTransport} per process (its client id is the
 * process id plus one, so a retired process never shares request sequence numbers with its successor),
 * the {@link ValueModel} for the mapping. Setup and teardown have nothing to do: the guests start empty,
 * which the models take as their initial state.
 */
public final class GuestClient implements Client {

  private final boolean lists;
  private final BiFunction<ClientTarget, Integer, GuestTransport> transports;
  private GuestTransport transport;

  /**
   * @param lists true for the append guest (reads return lists)
   * @param transports opens a transport for (target, client id)
   */
  public GuestClient(boolean lists, BiFunction<ClientTarget, Integer, GuestTransport> transports) {
    this.lists = lists;
    this.transports = Objects.requireNonNull(transports, "transports");
  }

  @Override
  public void open(ClientTarget target, int process) throws ClientException {
    if (transport != null) {
      throw new IllegalStateException("client opened twice");
    }
    try {
      transport = transports.apply(target, process + 1);
    } catch (RuntimeException e) {
      throw new ClientException("cannot open a client for process " + process + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void setup() {}

  @Override
  public Completion invoke(Invocation invocation) {
    if (transport == null) {
      throw new IllegalStateException("invoke before open");
    }
    GuestOp request = ValueModel.request(invocation, lists);
    GuestResult result;
    try {
      result = transport.call(request);
    } catch (RuntimeException e) {
      // A transport that breaks its contract still must not lose the op: its effect is unknown.
      result = new GuestResult.Unknown(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return ValueModel.complete(invocation, result);
  }

  @Override
  public void teardown() {}

  @Override
  public void close() {
    if (transport != null) {
      transport.close();
      transport = null;
    }
  }
}
