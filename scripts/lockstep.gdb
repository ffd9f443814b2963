# gdb commands for lockstep's gdb server ('lockstep machine debug', 'lockstep debug'):
#   gdb-multiarch -x scripts/lockstep.gdb GUEST.elf -ex 'target remote :1234'
#
# TRICKY: a monitor command cannot tell gdb that the target moved, so after 'monitor seek' gdb would
# show the registers it cached before. rr's own gdb commands flush gdb's register cache after a jump
# in the same way.

define seek
  monitor seek $arg0
  maintenance flush register-cache
  frame
end
document seek
seek N: jump to icount N of the recorded execution and show where that is (monitor seek N, then
re-read the registers).
end

define icount
  monitor icount
end
document icount
icount: the current icount (monitor icount).
end
