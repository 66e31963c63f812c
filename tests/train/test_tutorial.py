"""TF's "Training checkpoints" guide, its program unchanged but for the import and the prints
turned into checks: a manager over a model, optimizer, step and dataset iterator, training
resumed from the latest checkpoint, delayed restoration through stand-in Checkpoints, the
reader's maps, and lists/dicts of variables."""

import numpy as np

import tapegrad as tf


class Net(tf.keras.Model):
    """A simple linear model."""

    def __init__(self):
        super(Net, self).__init__()
        self.l1 = tf.keras.layers.Dense(5)

    def call(self, x):
        return self.l1(x)


def toy_dataset():
    inputs = tf.range(10.)[:, None]
    labels = inputs * 5. + tf.range(5.)[None, :]
    return tf.data.Dataset.from_tensor_slices(dict(x=inputs, y=labels)).repeat().batch(2)


def train_step(net, example, optimizer):
    """Trains `net` on `example` using `optimizer`."""
    with tf.GradientTape() as tape:
        output = net(example['x'])
        loss = tf.reduce_mean(tf.abs(output - example['y']))
    variables = net.trainable_variables
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return loss


def _run(ckpt, manager, net, opt, iterator, log):
    ckpt.restore(manager.latest_checkpoint)
    log.append(manager.latest_checkpoint)
    for _ in range(50):
        example = next(iterator)
        loss = train_step(net, example, opt)
        ckpt.step.assign_add(1)
        if int(ckpt.step) % 10 == 0:
            manager.save()
            log.append(float(loss.numpy()))


def test_training_checkpoints_guide(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    log, nets = [], []
    for _ in range(2):
        opt = tf.keras.optimizers.Adam(0.1)
        net = Net()
        iterator = iter(toy_dataset())
        ckpt = tf.train.Checkpoint(step=tf.Variable(1), optimizer=opt, net=net, iterator=iterator)
        manager = tf.train.CheckpointManager(ckpt, './tf_ckpts', max_to_keep=3)
        _run(ckpt, manager, net, opt, iterator, log)
        nets.append(net)
    assert log[0] is None and log[6] == './tf_ckpts/ckpt-5'
    assert log[5] < log[1] and log[-1] < log[5]  # the second run continued, it did not restart
    # ckpt-5 was saved at step 50, after 49 updates; 50 more followed
    assert int(opt.iterations.numpy()) == 99 and int(ckpt.step.numpy()) == 100
    assert manager.checkpoints == ['./tf_ckpts/ckpt-8', './tf_ckpts/ckpt-9',
                                   './tf_ckpts/ckpt-10']

    to_restore = tf.Variable(tf.zeros([5]))
    fake_layer = tf.train.Checkpoint(bias=to_restore)
    fake_net = tf.train.Checkpoint(l1=fake_layer)
    new_root = tf.train.Checkpoint(net=fake_net)
    status = new_root.restore(tf.train.latest_checkpoint('./tf_ckpts/'))
    np.testing.assert_array_equal(to_restore.numpy(), nets[1].l1.bias.numpy())
    status.assert_existing_objects_matched()

    reader = tf.train.load_checkpoint('./tf_ckpts/')
    key = 'net/l1/_kernel/.ATTRIBUTES/VARIABLE_VALUE'
    assert reader.get_variable_to_shape_map()[key] == [1, 5]
    assert reader.get_variable_to_dtype_map()[key].name == 'float32'
    np.testing.assert_array_equal(reader.get_tensor(key), nets[1].l1.kernel.numpy())

    save = tf.train.Checkpoint()
    save.listed = [tf.Variable(1.)]
    save.listed.append(tf.Variable(2.))
    save.mapped = {'one': save.listed[0]}
    save.mapped['two'] = save.listed[1]
    save_path = save.save('./tf_list_example')
    restore = tf.train.Checkpoint()
    v2 = tf.Variable(0.)
    assert 0. == v2.numpy()  # Not restored yet
    restore.mapped = {'two': v2}
    restore.restore(save_path)
    assert 2. == v2.numpy()
